//! The seed of the project as an integration test: the functions of `examples/seed.rs` (sym-solve -> sym-lower ->
//! sym-grad, and burn's autodiff), every number checked against its closed form.

#[allow(dead_code)]
#[path = "../examples/seed.rs"]
mod seed;

use sym_lower::RootStatus;

/// `|a - b| <= 4 eps max(1, |b|)`: the lowered closed forms and their derivatives are a few roundings from exact.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1.0)
}

#[test]
fn x_squared_minus_four() {
    let mut roots = seed::constants("x**2 - 4", "x").unwrap();
    roots.sort_by(|a, b| a.1.total_cmp(&b.1));
    let values: Vec<f64> = roots.iter().map(|r| r.1).collect();
    assert_eq!(values, [-2.0, 2.0]);
    let exact: Vec<&str> = roots.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(exact, ["-2", "2"]);
}

#[test]
fn circle_branches_and_their_derivatives() {
    let xs = [-2.5, -1.0, 0.0, 1.0, 2.5];
    let reports = seed::branches("x**2 + y**2 = 9", "y", "x", &xs).unwrap();
    let exact: Vec<&str> = reports.iter().map(|r| r.exact.as_str()).collect();
    assert_eq!(exact, ["-sqrt(9 - x**2)", "sqrt(9 - x**2)"]);
    for (r, sign) in reports.iter().zip([-1.0, 1.0]) {
        for (i, &x) in xs.iter().enumerate() {
            let y = sign * (9.0 - x * x).sqrt();
            assert!(close(r.value[i], y), "y({x}) = {} vs {y}", r.value[i]);
            // d(y^2)/dx = d(9 - x^2)/dx = -2x on both branches (-2 at x = 1).
            assert!(close(r.d_square[i], -2.0 * x), "d(y^2)/dx at {x}: {}", r.d_square[i]);
            // dy/dx = -x/y, through the closed form and through the equation.
            assert!(close(r.d_value[i], -x / y), "dy/dx at {x}: {}", r.d_value[i]);
            assert!(close(r.d_implicit[i], -x / y), "implicit dy/dx at {x}: {}", r.d_implicit[i]);
            assert_eq!(r.status[i], RootStatus::Converged);
        }
    }
    let at_one = xs.iter().position(|&x| x == 1.0).unwrap();
    assert_eq!(reports[0].d_square[at_one], -2.0);
    assert_eq!(reports[1].d_square[at_one], -2.0);
}

#[test]
fn circle_at_the_ends_of_its_domain() {
    // At x = ±3 the two branches meet (y = 0, F_y = 2y = 0): dy/dx does not exist, and the implicit derivative says
    // so per lane instead of returning an infinity or a NaN for the whole batch.
    let reports = seed::branches("x**2 + y**2 = 9", "y", "x", &[-3.0, 1.0, 3.0]).unwrap();
    for r in &reports {
        assert_eq!(r.status, [RootStatus::SingularDerivative, RootStatus::Converged, RootStatus::SingularDerivative]);
        assert!(r.d_implicit[0].is_nan() && r.d_implicit[2].is_nan());
        assert!(close(r.d_implicit[1], -1.0 / r.value[1]));
    }
}

#[test]
fn circle_on_burn_autodiff() {
    let xs = [1.0, 2.0, -0.5];
    for (k, sign) in [(0, -1.0), (1, 1.0)] {
        let (values, g) = seed::circle_on_burn(k, &xs).unwrap();
        for (i, &x) in xs.iter().enumerate() {
            assert!(close(values[i], sign * (9.0 - x * x).sqrt()));
            // d(sum_i y_i^2)/dx_i = -2 x_i.
            assert!(close(g[i], -2.0 * x), "burn d(y^2)/dx at {x}: {}", g[i]);
        }
    }
}

#[test]
fn parametric_square_root() {
    let cs = [0.25, 1.0, 2.0, 4.0, 9.0];
    let reports = seed::branches("x**2 - c", "x", "c", &cs).unwrap();
    let exact: Vec<&str> = reports.iter().map(|r| r.exact.as_str()).collect();
    assert_eq!(exact, ["-sqrt(c)", "sqrt(c)"]);
    for (r, sign) in reports.iter().zip([-1.0, 1.0]) {
        for (i, &c) in cs.iter().enumerate() {
            let x = sign * c.sqrt();
            assert!(close(r.value[i], x));
            // dx/dc = 1/(2x) on each branch; d(x^2)/dc = 1.
            assert!(close(r.d_value[i], 1.0 / (2.0 * x)), "dx/dc at {c}: {}", r.d_value[i]);
            assert!(close(r.d_implicit[i], 1.0 / (2.0 * x)), "implicit dx/dc at {c}: {}", r.d_implicit[i]);
            assert!(close(r.d_square[i], 1.0), "d(x^2)/dc at {c}: {}", r.d_square[i]);
            assert_eq!(r.status[i], RootStatus::Converged);
        }
    }
}
