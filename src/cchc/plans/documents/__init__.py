"""Official documents of the periodic reports: the consolidated report (DOCX) and its annexes (XLSX)."""

from cchc.plans.documents.docx_report import consolidated_docx
from cchc.plans.documents.xlsx_annex import annex_xlsx

__all__ = ["annex_xlsx", "consolidated_docx"]
