//! Lantu persistence (being written).
