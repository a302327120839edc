//! Completion indexes (`indexed_job_utils.go`): the `orderedIntervals` of upstream as a sorted
//! set, parsed from and printed as `status.completedIndexes` / `failedIndexes` ("1,3-5").

use std::collections::BTreeSet;

/// A set of completion indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indexes(pub BTreeSet<i32>);

impl Indexes {
    /// `parseIndexesFromString`: intervals `a` or `a-b` joined by commas; indexes at or above
    /// `completions` are dropped, unparsable parts skipped.
    pub fn parse(s: &str, completions: i32) -> Indexes {
        let mut out = BTreeSet::new();
        if s.is_empty() {
            return Indexes(out);
        }
        for part in s.split(',') {
            let mut limits = part.split('-');
            let Some(Ok(first)) = limits.next().map(str::parse::<i32>) else {
                continue;
            };
            if first >= completions {
                break;
            }
            let last = match limits.next() {
                None => first,
                Some(l) => match l.parse::<i32>() {
                    Ok(l) => l.min(completions - 1),
                    Err(_) => continue,
                },
            };
            out.extend(first.max(0)..=last);
        }
        Indexes(out)
    }

    pub fn total(&self) -> usize {
        self.0.len()
    }

    pub fn has(&self, ix: i32) -> bool {
        self.0.contains(&ix)
    }

    /// The intervals, each (first, last).
    pub fn intervals(&self) -> Vec<(i32, i32)> {
        let mut out: Vec<(i32, i32)> = Vec::new();
        for &ix in &self.0 {
            match out.last_mut() {
                Some(last) if last.1 + 1 == ix => last.1 = ix,
                _ => out.push((ix, ix)),
            }
        }
        out
    }
}

/// `orderedIntervals.String`: two consecutive indexes print as `a,b`, longer runs as `a-b`.
impl std::fmt::Display for Indexes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (first, last)) in self.intervals().into_iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{first}")?;
            if last == first + 1 {
                write!(f, ",{last}")?;
            } else if last > first {
                write!(f, "-{last}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print_follow_upstream() {
        // TestParseIndexesFromString / TestIntervalsString cases.
        let cases = [
            ("", 3, ""),
            ("1", 3, "1"),
            ("1,2", 3, "1,2"),
            ("0-2", 3, "0-2"),
            ("2,4,5,7-9", 10, "2,4,5,7-9"),
            ("1-3,5-7", 6, "1-3,5"),
            ("0,1,2", 5, "0-2"),
            ("a,1-2,4-b,9", 6, "1,2"),
        ];
        for (input, completions, want) in cases {
            assert_eq!(
                Indexes::parse(input, completions).to_string(),
                want,
                "{input}"
            );
        }
        assert_eq!(Indexes::parse("0-4,7", 10).total(), 6);
    }
}
