//! apimachinery `resource.Quantity` arithmetic for describers: enough for sums, comparisons
//! and `MilliValue` / `Value`, and `String()` in the format of the first operand.

use std::collections::BTreeMap;

use serde_json::Value;

use super::scalar;
use crate::print::cells::canonical_quantity;

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

    pub fn parse(s: &str) -> Option<Qty> {
        let s = s.trim();
        let (neg, rest) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, suffix) = rest.split_at(end);
        let (ip, fp) = num.split_once('.').unwrap_or((num, ""));
        if (ip.is_empty() && fp.is_empty()) || fp.contains('.') {
            return None;
        }
        let mut mant: i128 = 0;
        for d in ip.bytes().chain(fp.bytes()) {
            mant = mant.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
        }
        let mut exp10: i64 = -(fp.len() as i64);
        let (fmt, exp1024) = match suffix {
            "" => (QFmt::Decimal, 0),
            "n" => (QFmt::Decimal, -9),
            "u" => (QFmt::Decimal, -6),
            "m" => (QFmt::Decimal, -3),
            "k" => (QFmt::Decimal, 3),
            "M" => (QFmt::Decimal, 6),
            "G" => (QFmt::Decimal, 9),
            "T" => (QFmt::Decimal, 12),
            "P" => (QFmt::Decimal, 15),
            "E" => (QFmt::Decimal, 18),
            "Ki" => (QFmt::Binary, 1),
            "Mi" => (QFmt::Binary, 2),
            "Gi" => (QFmt::Binary, 3),
            "Ti" => (QFmt::Binary, 4),
            "Pi" => (QFmt::Binary, 5),
            "Ei" => (QFmt::Binary, 6),
            _ => {
                let e = suffix.strip_prefix(['e', 'E'])?;
                (QFmt::Exponent, 100 + e.parse::<i64>().ok()?)
            }
        };
        let exp1024 = match fmt {
            QFmt::Decimal => {
                exp10 += exp1024;
                0
            }
            QFmt::Exponent => {
                exp10 += exp1024 - 100;
                0
            }
            QFmt::Binary => exp1024,
        };
        for _ in 0..exp1024 {
            mant = mant.checked_mul(1024)?;
        }
        let mut e = exp10 + 9;
        while e < 0 {
            let rem = mant % 10;
            mant = mant / 10 + i128::from(rem != 0);
            e += 1;
        }
        for _ in 0..e {
            mant = mant.checked_mul(10)?;
        }
        Some(Qty {
            nano: if neg { -mant } else { mant },
            fmt,
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

    pub fn string(&self) -> String {
        let n = self.nano;
        if self.fmt == QFmt::Binary && n % NANO == 0 && (n / NANO).abs() >= 1024 {
            let mut w = n / NANO;
            let mut e = 0;
            while w % 1024 == 0 && e < 6 {
                w /= 1024;
                e += 1;
            }
            return format!("{w}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][e]);
        }
        let text = if self.fmt == QFmt::Exponent {
            format!("{n}e-9")
        } else {
            format!("{n}n")
        };
        canonical_quantity(&text).unwrap_or_else(|| "0".to_string())
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
