"""The supporters' pages, one module per part of the journey: giving, gifts, signing in, the account."""
