//! The `sym` command-line tool.

fn main() {}
