from .taxonomy import Country, Organisation, Person, Programme

__all__ = ["Country", "Organisation", "Person", "Programme"]
