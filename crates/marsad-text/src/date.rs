//! Dates: absolute and relative date expressions resolved against the document date.
