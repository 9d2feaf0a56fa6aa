"""ILMS: the International Labour Migration Statistics database.

The package follows the data's journey: ``tables`` (the declaration of the 17 tables),
``collect`` (readers), ``check`` (validation), ``store`` (history and releases),
``publish`` (exports, SDMX, downloads) and ``web`` (the application).
"""

__version__ = "0.1.0"
