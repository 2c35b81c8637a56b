"""A second engine: the core's generated pages built by Zensical
(``python -m builder build --engine zensical``). See ``build.py``."""
