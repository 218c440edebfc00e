//! The tidy checks as an ordinary test, so that `cargo test --workspace` enforces them.

#[test]
fn tidy() {
    let root = xtask::tidy::workspace_root();
    if let Err(e) = xtask::tidy::run(&root) {
        panic!("{e}");
    }
}

#[test]
fn manifest_parsing_sees_all_dependency_tables() {
    let m = "[package]\nname = \"a\"\n[dependencies]\nsym-core.workspace = true\nrug = \"1\"\n[dev-dependencies]\nburn = { version = \"1\" }\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n";
    assert_eq!(xtask::tidy::declared_dependencies(m), ["sym-core", "rug", "burn", "libc"]);
}
