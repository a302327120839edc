//! apimachinery `resource.Quantity` arithmetic for describers: enough for sums, comparisons
//! and `MilliValue` / `Value`, and `String()` in the format of the first operand. Parsing and
//! `String()` are util::quantity's; [`Qty`] is a copyable view (nano units and a format) for
//! the describers' sums.

use std::collections::BTreeMap;

use serde_json::Value;

use super::scalar;
use crate::print::cells::canonical_quantity;
use crate::util::quantity::{Format, Quantity};

pub fn quantity_string(v: Option<&Value>) -> String {
    match v {
        None => "0".to_string(),
        Some(v) => {
            let raw = scalar(v);
            canonical_quantity(&raw).unwrap_or(raw)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QFmt {
    Decimal,
    Binary,
    Exponent,
}

/// A quantity held in nano units, with the format `String()` renders it in.
#[derive(Clone, Copy, Debug)]
pub struct Qty {
    /// The value in nano units.
    pub nano: i128,
    /// The format `String()` renders it in.
    pub fmt: QFmt,
}

impl Qty {
    pub fn zero() -> Qty {
        Qty {
            nano: 0,
            fmt: QFmt::Decimal,
        }
    }

    /// `ParseQuantity` (util::quantity's) of the trimmed text; `None` when it does not parse.
    pub fn parse(s: &str) -> Option<Qty> {
        let q = Quantity::parse(s.trim()).ok()?;
        Some(Qty {
            nano: q.nano(),
            fmt: match q.format() {
                Format::BinarySI => QFmt::Binary,
                Format::DecimalExponent => QFmt::Exponent,
                Format::DecimalSI => QFmt::Decimal,
            },
        })
    }

    pub fn of(v: Option<&Value>) -> Qty {
        v.and_then(|v| Qty::parse(&scalar(v)))
            .unwrap_or_else(Qty::zero)
    }

    pub fn add(&mut self, y: Qty) {
        if self.nano == 0 {
            self.fmt = y.fmt;
        }
        self.nano += y.nano;
    }

    pub fn milli(&self) -> i128 {
        ceil_div(self.nano, 1_000_000)
    }

    pub fn value(&self) -> i128 {
        ceil_div(self.nano, NANO)
    }

    /// `String()`: util::quantity's canonical form in this format.
    pub fn string(&self) -> String {
        let format = match self.fmt {
            QFmt::Binary => Format::BinarySI,
            QFmt::Exponent => Format::DecimalExponent,
            QFmt::Decimal => Format::DecimalSI,
        };
        Quantity::from_nano(self.nano, format).canonical()
    }
}

pub const NANO: i128 = 1_000_000_000;

pub fn ceil_div(a: i128, b: i128) -> i128 {
    a.div_euclid(b) + i128::from(a.rem_euclid(b) != 0)
}

/// A ResourceList as name → quantity.
pub type ResList = BTreeMap<String, Qty>;

pub fn res_list(v: Option<&Value>) -> ResList {
    match v {
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), Qty::of(Some(v))))
            .collect(),
        _ => ResList::new(),
    }
}

pub fn add_list(list: &mut ResList, new: &ResList) {
    for (k, q) in new {
        match list.get_mut(k) {
            Some(v) => v.add(*q),
            None => {
                list.insert(k.clone(), *q);
            }
        }
    }
}

pub fn max_list(list: &mut ResList, new: &ResList) {
    for (k, q) in new {
        match list.get(k) {
            Some(v) if q.nano <= v.nano => {}
            _ => {
                list.insert(k.clone(), *q);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_sums_keep_the_first_format() {
        let sum = |xs: &[&str]| {
            let mut q = Qty::zero();
            for x in xs {
                q.add(Qty::parse(x).unwrap());
            }
            q.string()
        };
        assert_eq!(sum(&["100m", "250m"]), "350m");
        assert_eq!(sum(&["64Mi", "70Mi"]), "134Mi");
        assert_eq!(sum(&["1", "500m"]), "1500m");
        assert_eq!(sum(&["1Gi", "1Gi"]), "2Gi");
        assert_eq!(sum(&["1000", "1048"]), "2048");
        assert_eq!(sum(&["1Ki", "1000"]), "2024");
        assert_eq!(sum(&[]), "0");
        assert_eq!(Qty::parse("1.5").unwrap().milli(), 1500);
        assert_eq!(Qty::parse("1m").unwrap().value(), 1);
    }
}
