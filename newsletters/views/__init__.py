"""The newsletters' pages, one module per part of the reader's journey."""
