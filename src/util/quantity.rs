//! apimachinery's `resource.Quantity`, exact: parsing (`ParseQuantity`), the canonical
//! `String()` (`CanonicalizeBytes`), comparison, addition/subtraction and `Value()` /
//! `MilliValue()`.
//!
//! ```ignore
//! let q: Quantity = "1024Mi".parse()?;
//! assert_eq!(q.to_string(), "1Gi");
//! assert_eq!(Quantity::parse("0.5")?.milli_value(), 500);
//! ```
//!
//! The value is held exactly in nano units (`10^-9`, the finest scale a Quantity keeps: finer
//! input rounds up, away from zero, as upstream) in an `i128`, so every quantity up to about
//! `1.7e29` is exact; larger ones (which upstream keeps in an `inf.Dec`) are a parse error here.
//! Like upstream, a BinarySI quantity is capped at `2^63-1`, and `String()` returns the input
//! verbatim when the parser judged it canonical (upstream's cached `s`, e.g. `+1` or `1E3`);
//! [`Quantity::canonical`] always recomputes.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// How a quantity is written back (`resource.Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `12e6`
    DecimalExponent,
    /// `12Mi` (`12 × 2^20`)
    BinarySI,
    /// `12M` (`12 × 10^6`)
    DecimalSI,
}

/// Why a string is not a quantity (upstream's three error values; overflow of the exact range
/// reports [`QuantityError::Numeric`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityError {
    /// `ErrFormatWrong`
    FormatWrong,
    /// `ErrNumeric`
    Numeric,
    /// `ErrSuffix`
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::FormatWrong => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Numeric => "unable to parse numeric part of quantity",
            QuantityError::Suffix => "unable to parse quantity's suffix",
        })
    }
}

impl std::error::Error for QuantityError {}

const NANO: i128 = 1_000_000_000;
/// Upstream's `maxAllowed` for BinarySI quantities: `2^63-1` units.
const MAX_BINARY_NANO: i128 = (i64::MAX as i128) * NANO;

/// An exact Kubernetes resource quantity.
#[derive(Debug, Clone)]
pub struct Quantity {
    nano: i128,
    format: Format,
    /// The input, when upstream's parser would keep it as the `String()` form.
    cached: Option<Box<str>>,
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity::zero()
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nano == other.nano
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    /// `Quantity.Cmp`: by value only (`1Gi` == `1073741824`).
    fn cmp(&self, other: &Self) -> Ordering {
        self.nano.cmp(&other.nano)
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse(s)
    }
}

impl fmt::Display for Quantity {
    /// `Quantity.String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cached {
            Some(s) => f.write_str(s),
            None => f.write_str(&self.canonical()),
        }
    }
}

/// The parts `parseQuantityString` splits a quantity into.
struct Parts<'a> {
    positive: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// apimachinery's `parseQuantityString`: sign, numerator (leading zeros stripped, `0` when
/// empty), an optional `.denominator`, and a suffix of `[eEinumkKMGTP]*[-+]?[0-9]*`.
fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    let mut parts = Parts {
        positive,
        num: "0",
        denom: "",
        suffix: "",
    };
    if pos >= end {
        return Ok(parts);
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos > start {
        parts.num = &s[start..pos];
    }
    if pos >= end {
        return Ok(parts);
    }
    if b[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        parts.denom = &s[start..pos];
        if pos >= end {
            return Ok(parts);
        }
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::FormatWrong);
    }
    parts.suffix = &s[suffix_start..];
    Ok(parts)
}

/// `suffixHandler.interpret`: `(base, exponent, format)`.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ if suffix.len() > 1 && suffix.starts_with(['e', 'E']) => {
            let e: i64 = suffix[1..].parse().ok()?;
            Some((10, i32::try_from(e).ok()?, Format::DecimalExponent))
        }
        _ => None,
    }
}

/// `10^e` when it fits.
fn pow10(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

/// `a / b` rounded away from zero (`b > 0`).
fn div_away(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b == 0 {
        q
    } else if a > 0 {
        q + 1
    } else {
        q - 1
    }
}

impl Quantity {
    /// The zero quantity (`0`, DecimalSI).
    pub fn zero() -> Quantity {
        Quantity {
            nano: 0,
            format: Format::DecimalSI,
            cached: None,
        }
    }

    /// `NewQuantity(value, format)`.
    pub fn new(value: i64, format: Format) -> Quantity {
        Quantity {
            nano: i128::from(value) * NANO,
            format,
            cached: None,
        }
    }

    /// `NewMilliQuantity(value, format)`.
    pub fn new_milli(value: i64, format: Format) -> Quantity {
        Quantity {
            nano: i128::from(value) * 1_000_000,
            format,
            cached: None,
        }
    }

    /// A quantity of `nano` × 10^-9.
    pub fn from_nano(nano: i128, format: Format) -> Quantity {
        Quantity {
            nano,
            format,
            cached: None,
        }
    }

    /// `ParseQuantity`: the exact value, rounded up (away from zero) to nano units.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        if s == "0" {
            return Ok(Quantity {
                cached: Some("0".into()),
                ..Quantity::zero()
            });
        }
        let p = split(s)?;
        let (base, exponent, mut format) = interpret(p.suffix).ok_or(QuantityError::Suffix)?;
        let digits = format!("{}{}", p.num, p.denom);
        let mut mantissa: i128 = 0;
        for d in digits.bytes() {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(d - b'0')))
                .ok_or(QuantityError::Numeric)?;
        }
        let denom_len = i32::try_from(p.denom.len()).map_err(|_| QuantityError::Numeric)?;
        // value = mantissa × 10^exp10 × 2^exp2
        let (exp10, exp2) = if base == 10 {
            (exponent - denom_len, 0)
        } else {
            (-denom_len, exponent)
        };
        let scaled = mantissa
            .checked_mul(1i128 << exp2)
            .ok_or(QuantityError::Numeric)?;
        let e = exp10 + 9;
        let mut nano = if scaled == 0 {
            0
        } else if e >= 0 {
            pow10(e as u32)
                .and_then(|m| scaled.checked_mul(m))
                .ok_or(QuantityError::Numeric)?
        } else {
            match pow10(e.unsigned_abs()) {
                Some(d) => div_away(scaled, d),
                None => i128::from(scaled != 0),
            }
        };
        if format == Format::BinarySI {
            nano = nano.min(MAX_BINARY_NANO);
            if nano > 0 && nano < NANO {
                format = Format::DecimalSI;
            }
        }
        let cached = Self::parsed_canonical(&p, base, exponent, format).then(|| s.into());
        Ok(Quantity {
            nano: if p.positive { nano } else { -nano },
            format,
            cached,
        })
    }

    /// Whether upstream's fast (int64) parse path keeps the input as the `String()` form.
    fn parsed_canonical(p: &Parts, base: u32, exponent: i32, format: Format) -> bool {
        let (num, denom) = (p.num.len() as i32, p.denom.len() as i32);
        let shifted = format!("{}{}", p.num, p.denom);
        let Ok(value) = shifted.parse::<i64>() else {
            return false;
        };
        if base == 2 {
            if format != Format::BinarySI || denom != 0 || exponent < 0 {
                return false;
            }
            let precision = 15 - num - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
            precision >= 0
                && value.checked_mul(1i64 << exponent).is_some()
                && exponent % 10 == 0
                && value & 0x07 != 0
        } else {
            let scale = exponent - denom;
            18 - (num + denom) >= 0
                && scale >= -9
                && scale % 3 == 0
                && !shifted.ends_with("000")
                && !shifted.starts_with('0')
        }
    }

    /// A JSON value as the API decodes a quantity: a string (surrounding whitespace ignored) or
    /// a number.
    pub fn from_json(v: &serde_json::Value) -> Option<Quantity> {
        match v {
            serde_json::Value::String(s) => Quantity::parse(s.trim()).ok(),
            serde_json::Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
            _ => None,
        }
    }

    /// The format `String()` prefers.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The exact value in nano units.
    pub fn nano(&self) -> i128 {
        self.nano
    }

    /// `IsZero()`.
    pub fn is_zero(&self) -> bool {
        self.nano == 0
    }

    /// `Sign()`: -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        self.nano.signum() as i32
    }

    /// `ScaledValue(scale)`: the value in units of `10^scale`, rounded away from zero.
    pub fn scaled_value(&self, scale: i32) -> i128 {
        let e = scale + 9;
        if e <= 0 {
            return pow10(e.unsigned_abs())
                .and_then(|m| self.nano.checked_mul(m))
                .unwrap_or(if self.nano < 0 { i128::MIN } else { i128::MAX });
        }
        match pow10(e as u32) {
            Some(d) => div_away(self.nano, d),
            None => self.nano.signum(),
        }
    }

    /// `Value()`: whole units, rounded away from zero (`100m` → 1).
    pub fn value(&self) -> i128 {
        self.scaled_value(0)
    }

    /// `MilliValue()`: thousandths, rounded away from zero (`0.5` → 500).
    pub fn milli_value(&self) -> i128 {
        self.scaled_value(-3)
    }

    /// `Add(y)`: a zero quantity takes `y`'s format.
    pub fn add(&mut self, y: &Quantity) {
        if self.nano == 0 {
            self.format = y.format;
        }
        self.nano += y.nano;
        self.cached = None;
    }

    /// `Sub(y)`: a zero quantity takes `y`'s format.
    pub fn sub(&mut self, y: &Quantity) {
        if self.nano == 0 {
            self.format = y.format;
        }
        self.nano -= y.nano;
        self.cached = None;
    }

    /// `Neg()`.
    pub fn neg(&mut self) {
        self.nano = -self.nano;
        self.cached = None;
    }

    /// The canonical form (`CanonicalizeBytes`), never the verbatim input: `0.5` → `500m`,
    /// `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`, `1e3` → `1e3`, `1000E` → `1e21`.
    pub fn canonical(&self) -> String {
        if self.nano == 0 {
            return "0".to_string();
        }
        let mut format = self.format;
        if format == Format::BinarySI {
            let whole = self.nano % NANO == 0;
            if self.nano.abs() < 1024 * NANO || !whole {
                format = Format::DecimalSI;
            } else {
                let mut v = self.nano / NANO;
                let mut exp = 0;
                while v % 1024 == 0 && exp < 6 {
                    v /= 1024;
                    exp += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exp];
                return format!("{v}{suffix}");
            }
        }
        // AsCanonicalBytes: move factors of ten into the exponent, then lower the exponent to
        // a multiple of three.
        let mut m = self.nano;
        let mut exp: i32 = -9;
        while m % 10 == 0 {
            m /= 10;
            exp += 1;
        }
        let r = exp.rem_euclid(3);
        // Multiplying back at most 100 cannot overflow: `m` lost at least that factor above
        // unless `exp` was already a multiple of three.
        m *= 10i128.pow(r as u32);
        exp -= r;
        let suffix = match (format, exp) {
            (_, 0) => "",
            (Format::DecimalSI, -9) => "n",
            (Format::DecimalSI, -6) => "u",
            (Format::DecimalSI, -3) => "m",
            (Format::DecimalSI, 3) => "k",
            (Format::DecimalSI, 6) => "M",
            (Format::DecimalSI, 9) => "G",
            (Format::DecimalSI, 12) => "T",
            (Format::DecimalSI, 15) => "P",
            (Format::DecimalSI, 18) => "E",
            _ => return format!("{m}e{exp}"),
        };
        format!("{m}{suffix}")
    }
}

/// The canonical `String()` of a quantity string; `None` when it does not parse.
pub fn canonical(s: &str) -> Option<String> {
    Quantity::parse(s).ok().map(|q| q.canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// A quantity of `m × 10^e`, as upstream's tests' `decQuantity(m, e, format)`.
    fn dec(m: i64, e: i32, format: Format) -> Quantity {
        let nano = if e + 9 >= 0 {
            i128::from(m) * 10i128.pow((e + 9) as u32)
        } else {
            i128::from(m) / 10i128.pow((-(e + 9)) as u32)
        };
        Quantity::from_nano(nano, format)
    }

    use Format::{BinarySI as B, DecimalExponent as X, DecimalSI as D};

    // apimachinery quantity_test.go, TestQuantityParse.
    #[test]
    fn parse_table() {
        let table: &[(&str, Quantity)] = &[
            ("0", dec(0, 0, D)),
            ("0n", dec(0, 0, D)),
            ("0u", dec(0, 0, D)),
            ("0m", dec(0, 0, D)),
            ("0Ki", dec(0, 0, B)),
            ("0k", dec(0, 0, D)),
            ("0Mi", dec(0, 0, B)),
            ("0M", dec(0, 0, D)),
            ("0Gi", dec(0, 0, B)),
            ("0G", dec(0, 0, D)),
            ("0Ti", dec(0, 0, B)),
            ("0T", dec(0, 0, D)),
            ("1", dec(1, 0, D)),
            ("1Ki", dec(1024, 0, B)),
            ("8Ki", dec(8 * 1024, 0, B)),
            ("7Mi", dec(7 << 20, 0, B)),
            ("6Gi", dec(6 << 30, 0, B)),
            ("5Ti", dec(5 << 40, 0, B)),
            ("4Pi", dec(4 << 50, 0, B)),
            ("3Ei", dec(3 << 60, 0, B)),
            ("10Ti", dec(10 << 40, 0, B)),
            ("100Ti", dec(100 << 40, 0, B)),
            ("5n", dec(5, -9, D)),
            ("4u", dec(4, -6, D)),
            ("3m", dec(3, -3, D)),
            ("9", dec(9, 0, D)),
            ("8k", dec(8, 3, D)),
            ("50k", dec(5, 4, D)),
            ("7M", dec(7, 6, D)),
            ("6G", dec(6, 9, D)),
            ("5T", dec(5, 12, D)),
            ("40T", dec(4, 13, D)),
            ("300T", dec(3, 14, D)),
            ("2P", dec(2, 15, D)),
            ("1E", dec(1, 18, D)),
            ("1E-3", dec(1, -3, X)),
            ("1e3", dec(1, 3, X)),
            ("1E6", dec(1, 6, X)),
            ("1e9", dec(1, 9, X)),
            ("1E12", dec(1, 12, X)),
            ("1e15", dec(1, 15, X)),
            ("1E18", dec(1, 18, X)),
            ("1e14", dec(1, 14, X)),
            ("1e13", dec(1, 13, X)),
            ("100.035k", dec(100035, 0, D)),
            ("0.001", dec(1, -3, D)),
            ("0.0005k", dec(5, -1, D)),
            ("0.005", dec(5, -3, D)),
            ("0.05", dec(5, -2, D)),
            ("0.5", dec(5, -1, D)),
            ("0.00050k", dec(5, -1, D)),
            ("0.00500", dec(5, -3, D)),
            ("0.05000", dec(5, -2, D)),
            ("0.50000", dec(5, -1, D)),
            ("0.5e0", dec(5, -1, X)),
            ("0.5e-1", dec(5, -2, X)),
            ("0.5e-2", dec(5, -3, X)),
            ("10.035M", dec(10035, 3, D)),
            ("1.2e3", dec(12, 2, X)),
            ("1.3E+6", dec(13, 5, X)),
            ("1.40e9", dec(14, 8, X)),
            ("1.53E12", dec(153, 10, X)),
            ("1.6e15", dec(16, 14, X)),
            ("1.7E18", dec(17, 17, X)),
            ("9.01", dec(901, -2, D)),
            ("8.1k", dec(81, 2, D)),
            ("7.123456M", dec(7123456, 0, D)),
            ("6.987654321G", dec(6987654321, 0, D)),
            ("5.444T", dec(5444, 9, D)),
            ("40.1T", dec(401, 11, D)),
            ("300.2T", dec(3002, 11, D)),
            ("2.5P", dec(25, 14, D)),
            ("1.01E", dec(101, 16, D)),
            // Things that saturate/round.
            ("3.001n", dec(4, -9, D)),
            ("1.1E-9", dec(2, -9, X)),
            ("0.0000000001", dec(1, -9, D)),
            ("0.0000000005", dec(1, -9, D)),
            ("0.00000000050", dec(1, -9, D)),
            ("0.5e-9", dec(1, -9, X)),
            ("0.9n", dec(1, -9, D)),
            ("0.00000012345", dec(124, -9, D)),
            ("0.00000012354", dec(124, -9, D)),
            ("9Ei", dec(i64::MAX, 0, B)),
            ("9223372036854775807Ki", dec(i64::MAX, 0, B)),
            ("12E", dec(12, 18, D)),
            // Fractional binary.
            ("100.035Ki", dec(10243584, -2, B)),
            ("0.5Mi", dec(1 << 19, 0, B)),
            ("0.05Gi", dec(536870912, -1, B)),
            ("0.025Ti", dec(274877906944, -1, B)),
            // Things written by trolls.
            ("0.000000000001Ki", dec(2, -9, D)),
            (".001", dec(1, -3, D)),
            (".0001k", dec(100, -3, D)),
            ("1.", dec(1, 0, D)),
            ("1.G", dec(1, 9, D)),
        ];
        for (input, want) in table {
            let got = q(input);
            assert_eq!(got.nano, want.nano, "{input}");
            assert_eq!(got.format, want.format, "{input}");
            let neg = q(&format!("-{input}"));
            assert_eq!(neg.nano, -want.nano, "-{input}");
            assert_eq!(neg.format, want.format, "-{input}");
            let plus = q(&format!("+{input}"));
            assert_eq!(plus.nano, want.nano, "+{input}");
        }
        for bad in [
            "", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-",
            " 1", "1 ",
        ] {
            assert!(Quantity::parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    // TestQuantityString: (value, String(), an alternate spelling that canonicalizes to it).
    #[test]
    fn string_table() {
        let table: &[(Quantity, &str, &str)] = &[
            (dec(1 << 30, 0, B), "1Gi", "1024Mi"),
            (dec(300 << 20, 0, B), "300Mi", "307200Ki"),
            (dec(6 * 1024, 0, B), "6Ki", ""),
            (dec(1001 << 30, 0, B), "1001Gi", "1025024Mi"),
            (dec(1 << 40, 0, B), "1Ti", "1024Gi"),
            (dec(5, 0, B), "5", "5000m"),
            (dec(500, -3, B), "500m", "0.5"),
            (dec(1, 9, D), "1G", "1000M"),
            (dec(1000, 6, D), "1G", "0.001T"),
            (dec(1000000, 3, D), "1G", ""),
            (dec(1000000000, 0, D), "1G", ""),
            (dec(1, -3, D), "1m", "1000u"),
            (dec(80, -3, D), "80m", ""),
            (dec(1080, -3, D), "1080m", "1.08"),
            (dec(108, -2, D), "1080m", "1080000000n"),
            (dec(10800, -4, D), "1080m", ""),
            (dec(300, 6, D), "300M", ""),
            (dec(1, 12, D), "1T", ""),
            (dec(1, 18, D), "1E", ""),
            (dec(1, 21, D), "1e21", "1000E"),
            (dec(5, 21, D), "5e21", "5000E"),
            (dec(1, 24, D), "1e24", "1000000E"),
            (dec(1234567, 6, D), "1234567M", ""),
            (dec(1234567, -3, B), "1234567m", ""),
            (dec(3, 3, D), "3k", ""),
            (dec(1025, 0, B), "1025", ""),
            (dec(0, 0, D), "0", ""),
            (dec(0, 0, B), "0", ""),
            (dec(1, 9, X), "1e9", ".001e12"),
            (dec(1, -3, X), "1e-3", "0.001e0"),
            (dec(1, -9, X), "1e-9", "1000e-12"),
            (dec(80, -3, X), "80e-3", ""),
            (dec(300, 6, X), "300e6", ""),
            (dec(1, 12, X), "1e12", ""),
            (dec(1, 3, X), "1e3", ""),
            (dec(3, 3, X), "3e3", ""),
            (dec(3, 3, D), "3k", ""),
            (dec(0, 0, X), "0", "00"),
            (dec(1, -9, D), "1n", ""),
            (dec(80, -9, D), "80n", ""),
            (dec(1080, -9, D), "1080n", ""),
            (dec(108, -8, D), "1080n", ""),
            (dec(10800, -10, D), "1080n", ""),
            (dec(1, -6, D), "1u", ""),
            (dec(80, -6, D), "80u", ""),
            (dec(1080, -6, D), "1080u", ""),
        ];
        for (value, want, alternate) in table {
            assert_eq!(value.to_string(), *want, "{value:?}");
            assert_eq!(q(want).to_string(), *want, "reparse {want}");
            if !alternate.is_empty() {
                assert_eq!(q(alternate).to_string(), *want, "alternate {alternate}");
            }
            if !value.is_zero() {
                let mut n = value.clone();
                n.neg();
                assert_eq!(n.to_string(), format!("-{want}"), "negated {want}");
            }
        }
    }

    // TestQuantityParseEmit.
    #[test]
    fn parse_emit() {
        for (input, want) in [
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
            (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"),
            (".000000000001Ki", "2n"),
        ] {
            assert_eq!(q(input).to_string(), want, "{input}");
            assert_eq!(q(&format!("-{input}")).to_string(), format!("-{want}"));
        }
    }

    #[test]
    fn cmp_add_sub() {
        // TestQuantityCmp.
        for (x, y, want) in [
            ("0", "0", Ordering::Equal),
            ("100m", "50m", Ordering::Greater),
            ("50m", "100m", Ordering::Less),
            ("10000T", "100Gi", Ordering::Greater),
        ] {
            assert_eq!(q(x).cmp(&q(y)), want, "{x} vs {y}");
        }
        // TestQuantityAddZeroPreservesSuffix / SubZero.
        for v in ["100m", "1Gi"] {
            let mut a = q(v);
            a.add(&q("0"));
            assert_eq!(a.to_string(), v);
            let mut b = q("0");
            b.add(&q(v));
            assert_eq!(b.to_string(), v);
            let mut c = q("0");
            c.sub(&q(v));
            assert_eq!(c.to_string(), format!("-{v}"));
        }
        let mut sum = q("1.5");
        sum.add(&q("500m"));
        assert_eq!(sum.to_string(), "2");
        let mut mem = q("1Gi");
        mem.add(&q("512Mi"));
        assert_eq!(mem.to_string(), "1536Mi");
        // TestQuantityNeg.
        let mut n = dec(901, -2, D);
        n.neg();
        assert_eq!(n.to_string(), "-9010m");
    }

    #[test]
    fn values_round_away_from_zero() {
        for (s, value, milli) in [
            ("100m", 1, 100),
            ("0.5", 1, 500),
            ("2", 2, 2000),
            ("64Mi", 64 << 20, (64 << 20) * 1000),
            ("1n", 1, 1),
            ("-100m", -1, -100),
            ("1.0001m", 1, 2),
            ("1e3", 1000, 1_000_000),
        ] {
            assert_eq!(q(s).value(), value, "value of {s}");
            assert_eq!(q(s).milli_value(), milli, "milli of {s}");
        }
        // TestMilliNewSet / TestNewSet.
        assert_eq!(Quantity::new_milli(1, D).to_string(), "1m");
        assert_eq!(Quantity::new_milli(1234000, D).to_string(), "1234");
        assert_eq!(Quantity::new_milli(1024, B).to_string(), "1024m");
        assert_eq!(Quantity::new_milli(1000000, X).to_string(), "1e3");
        assert_eq!(Quantity::new(1000, D).to_string(), "1k");
        assert_eq!(Quantity::new(1024, B).to_string(), "1Ki");
        assert_eq!(Quantity::new(1000000, X).to_string(), "1e6");
        assert_eq!(Quantity::new(1 << 20, B).to_string(), "1Mi");
    }

    #[test]
    fn exact_where_f64_is_not() {
        // 2^63 + 1 and 2^63 differ; an f64 cannot tell them apart.
        let a = q("9223372036854775809");
        let b = q("9223372036854775808");
        assert!(a > b);
        assert_eq!(a.value(), 9223372036854775809);
        assert_eq!(q("0.1").nano() + q("0.2").nano(), q("0.3").nano());
    }

    #[test]
    fn verbatim_when_upstream_keeps_the_input() {
        // The parser's fast path keeps these strings as String().
        assert_eq!(q("+1").to_string(), "+1");
        assert_eq!(q("1E3").to_string(), "1E3");
        assert_eq!(q("1E3").canonical(), "1e3");
        // ... but not these, which are rebuilt.
        assert_eq!(q("1000").to_string(), "1k");
        assert_eq!(q("0.5").to_string(), "500m");
        assert_eq!(q("8Ki").to_string(), "8Ki");
        assert_eq!(canonical("1.5Gi").as_deref(), Some("1536Mi"));
        assert_eq!(canonical("abc"), None);
        assert_eq!(
            Quantity::from_json(&serde_json::json!(" 1 ")).map(|q| q.to_string()),
            Some("1".to_string())
        );
        assert_eq!(
            Quantity::from_json(&serde_json::json!(2)).map(|q| q.to_string()),
            Some("2".to_string())
        );
    }
}
