"""党建动态 (news): content/news/<YYYY-MM-DD>-<slug>.md → a news list, a page per
item, the latest items on the home page, a 动态 section on village pages and an
Atom feed."""
