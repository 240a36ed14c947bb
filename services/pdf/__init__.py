"""Printing foundation: Party document layout (HD 36-HD/VPTW) on A4 with embedded fonts."""
from .fonts import FontSet, register_fonts, resources_dir
from .layout import (
    NATIONAL_TITLE,
    DocumentHeader,
    SignatureBlock,
    bar_chart,
    build_document,
    bullet,
    format_long_date,
    format_number_vi,
    format_percent_vi,
    heading,
    nfc,
    para,
    table,
    upper_vi,
)

__all__ = [
    "NATIONAL_TITLE",
    "DocumentHeader",
    "FontSet",
    "SignatureBlock",
    "bar_chart",
    "build_document",
    "bullet",
    "format_long_date",
    "format_number_vi",
    "format_percent_vi",
    "heading",
    "nfc",
    "para",
    "register_fonts",
    "resources_dir",
    "table",
    "upper_vi",
]
