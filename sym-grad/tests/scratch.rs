//! Scratch.
use sym_grad::*;
use sym_lower::*;
#[test]
fn circle() {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let nine = b.const_f64(9.0);
    let x2 = b.powi(x, 2).unwrap();
    let d = b.sub(nine, x2).unwrap();
    let s = b.sqrt(d).unwrap();
    let y = b.neg(s).unwrap();
    b.output("y", y).unwrap();
    let g = b.finish().unwrap();
    let d = gradient(&g, "y", &["x"], &GradOptions::default()).unwrap();
    println!("{}", d.graph());
    let h = hessian(&g, "y", &["x"], &GradOptions::default()).unwrap();
    println!("{}", h.graph());
    let xs = ndarray::array![0.0, 1.0, 2.0];
    let out = interpret(h.graph(), &[(&xs).into()]).unwrap();
    println!("{out:?}");
}
