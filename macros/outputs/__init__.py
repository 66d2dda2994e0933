"""Exporters: files made from the edition model and the built pages (.docx, PDF, ...)."""
