"""The content model: one pydantic class per YAML format.

Field names are the YAML keys. Descriptions are Chinese: they become the JSON
Schema that editors' editors use for completion and inline help.
"""

from builder.model.site import SiteSettings, Belt
from builder.model.framework import Framework, FrameworkItem, FrameworkRule
from builder.model.town import TownsFile, Town
from builder.model.village import (
    Village, Location, Brand, Highlight, Contact, Photo, Assessment, ItemAssessment,
    Designation, DesignationEvent, DESIGNATION_STAGES,
)
from builder.model.project import Project, Goal, Milestone, Phase, MonthlyReport, Acceptance

__all__ = [
    "SiteSettings", "Belt", "Framework", "FrameworkItem", "FrameworkRule", "TownsFile", "Town",
    "Village", "Location", "Brand", "Highlight", "Contact", "Photo", "Assessment", "ItemAssessment",
    "Designation", "DesignationEvent", "DESIGNATION_STAGES",
    "Project", "Goal", "Milestone", "Phase", "MonthlyReport", "Acceptance",
]
