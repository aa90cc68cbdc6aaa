// The default theme is embedded in the binary (so `lectern init` courses build
// anywhere); rebuild when any of its files changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
