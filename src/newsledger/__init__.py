"""newsledger: turn conflict news into a sourced record."""
