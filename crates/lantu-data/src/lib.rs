//! Monitoring data files (being written).
