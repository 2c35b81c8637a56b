"""The synthetic county generator (used by the benchmarks) writes content
that passes the check: no errors, no warnings."""

from __future__ import annotations

from collections import Counter

from builder.pipeline import check
from testkit.synthetic import generate_county


def test_generated_county_is_valid(tmp_path):
    counts = generate_county(tmp_path / "content", 60, seed=7)
    content, diags = check(tmp_path / "content", tmp_path)
    assert len(diags) == 0, diags.format("text")
    assert len(content.villages) == 60 == counts["villages"]
    assert len(content.projects) == counts["projects"] == 15
    assert len(content.towns) == counts["towns"] >= 3
    # varied: every 功能定位, designated and not, some shortfalls among the undesignated
    assert set(Counter(v.model.function for v in content.villages.values())) == set(content.settings.functions)
    statuses = Counter(v.model.status for v in content.villages.values())
    assert len(statuses) >= 4
    from builder.frameworks.scores import evaluate

    unmet = [
        v
        for v in content.villages.values()
        if not all(
            evaluate(fw, v.model.assessments.get(fw.id), content.settings.levels).meets
            for fw in content.required_frameworks()
        )
    ]
    assert unmet and all(not v.model.is_designated for v in unmet)


def test_generation_is_deterministic(tmp_path):
    generate_county(tmp_path / "a", 10, seed=3)
    generate_county(tmp_path / "b", 10, seed=3)
    for p in sorted((tmp_path / "a").rglob("*.yml")):
        assert p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes()


def test_strip_photo_references_leaves_no_reference(sample_copy):
    """strip_photo_references knows every place a village names a photo (the
    places builder.photos.refs.references reads): after it, the sample's
    villages reference no photo and only the now unreferenced files are reported."""
    import shutil

    import yaml

    from builder.photos.refs import references
    from testkit.synthetic import strip_news_photos, strip_photo_references

    before, _ = check(sample_copy, sample_copy.parent)
    assert sum(len(references(v)) for v in before.villages.values()) > 0
    kinds = {path[0] for v in before.villages.values() for _, path in references(v)}
    assert kinds >= {"highlights", "gallery", "assessments"}
    for vfile in sample_copy.glob("villages/*/village.yml"):
        data = yaml.safe_load(vfile.read_text("utf-8"))
        data["brand"]["logo"] = "photos/logo.jpg"  # a reference of every kind, whatever the sample uses
        data["cover"] = "photos/logo.jpg"
        data = strip_photo_references(data)
        vfile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        shutil.rmtree(vfile.parent / "photos", ignore_errors=True)
    site = sample_copy / "site.yml"  # the county's cover is one of the removed village photos
    kept = [ln for ln in site.read_text("utf-8").splitlines(True) if not ln.startswith("cover:")]
    site.write_text("".join(kept), "utf-8")
    strip_news_photos(sample_copy)  # news items show the villages' gallery photos
    after, diags = check(sample_copy, sample_copy.parent)
    assert diags.errors == [], diags.format("text")
    assert all(references(v) == [] for v in after.villages.values())
