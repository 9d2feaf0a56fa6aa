"""The ILMS structure, declared once as data (``data/*.yaml``) and loaded into immutable objects."""
from .loader import DeclarationError, Structure, structure
from .model import (COMMON_DIMENSIONS, TIME_DIMENSION, Code, Codelist, Dimension, Hierarchy,
                    IlostatIndicator, Region, Table, Unit)

__all__ = ["COMMON_DIMENSIONS", "TIME_DIMENSION", "Code", "Codelist", "DeclarationError", "Dimension",
           "Hierarchy", "IlostatIndicator", "Region", "Structure", "Table", "Unit", "structure"]
