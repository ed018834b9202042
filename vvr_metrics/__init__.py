"""VVR Metrics: tracking workbooks of the Verkostosta Voimaa project to indicator tables."""

__version__ = "0.1.0"
