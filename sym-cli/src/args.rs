//! Command-line argument splitting as fixed by the CLI contract.
//!
//! Every option has the form `--name value` or `--name=value`; `--` ends the options; an
//! argument starting with `-` that is not a known option name is a positional expression
//! (`-x**2 + y`); an option's value is always taken verbatim, even when it starts with `-`
//! (`--interval -pi/2,pi/2`).

use std::collections::BTreeMap;

/// An option the subcommand accepts: its name and whether it takes a value.
#[derive(Clone, Copy)]
pub struct OptSpec {
    /// The name without the leading dashes.
    pub name: &'static str,
    /// Whether the option takes a value.
    pub takes_value: bool,
}

/// Parsed arguments: positionals (with their index among all arguments) and options.
#[derive(Debug, Default)]
pub struct Args {
    /// Positional arguments with their argument index.
    pub positional: Vec<(usize, String)>,
    /// Options given, by name (a flag maps to an empty string).
    pub options: BTreeMap<String, String>,
}

impl Args {
    /// The value of an option, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }
}

/// Splits `argv` (without the program and subcommand names) according to `specs`.
pub fn split(argv: &[String], specs: &[OptSpec]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut i = 0;
    let mut options_done = false;
    while i < argv.len() {
        let a = &argv[i];
        if !options_done && a == "--" {
            options_done = true;
            i += 1;
            continue;
        }
        if !options_done && let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(spec) = specs.iter().find(|s| s.name == name) else {
                if name == "help" {
                    out.options.insert("help".into(), String::new());
                    i += 1;
                    continue;
                }
                return Err(format!("unknown option `--{name}`"));
            };
            if spec.takes_value {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        argv.get(i).cloned().ok_or_else(|| format!("option `--{name}` needs a value"))?
                    }
                };
                out.options.insert(name.to_string(), v);
            } else {
                if inline.is_some() {
                    return Err(format!("option `--{name}` takes no value"));
                }
                out.options.insert(name.to_string(), String::new());
            }
            i += 1;
            continue;
        }
        out.positional.push((i, a.clone()));
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const SPECS: &[OptSpec] =
        &[OptSpec { name: "interval", takes_value: true }, OptSpec { name: "json", takes_value: false }];

    #[test]
    fn hyphen_values_and_positionals() {
        let a = split(&s(&["-x**2 + y", "--interval", "-pi/2,pi/2", "--json"]), SPECS).unwrap();
        assert_eq!(a.positional[0].1, "-x**2 + y");
        assert_eq!(a.get("interval"), Some("-pi/2,pi/2"));
        assert!(a.options.contains_key("json"));
        let b = split(&s(&["--interval=[0,1)", "--", "--json"]), SPECS).unwrap();
        assert_eq!(b.get("interval"), Some("[0,1)"));
        assert_eq!(b.positional[0].1, "--json");
        assert!(split(&s(&["--bogus"]), SPECS).is_err());
    }
}
