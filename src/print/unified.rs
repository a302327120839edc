//! The unified format of GNU diff (`diff -u`): hunks of three lines of context, `@@ -l,s +l,s @@`
//! headers, `\ No newline at end of file` after a last line without one. `kubesim diff` prints
//! it where kubectl runs `diff -u -N`, and `kubesim test` for a transcript that differs.

use similar::{Algorithm, ChangeTag, DiffOp, udiff::UnifiedDiffHunk};
use std::collections::HashMap;

/// The lines of context around each change, as `diff -u`; two changes at most twice this many
/// lines apart share a hunk.
pub const CONTEXT: usize = 3;

/// The hunks of `diff -u old new`, as GNU diff prints them below its `---`/`+++` lines; empty
/// when the texts are the same.
///
/// Which lines count as changed is not always unique (`a a` to `a`: either `a` went). GNU
/// diff takes a shortest edit script (Myers', as `similar` finds one) and then slides each run
/// of changed lines over the identical lines around it: back to join the run before, then
/// forward as far as it goes, then back to where it lines up with a run of changes in the
/// other file. The same sliding here makes the hunks GNU diff's.
pub fn hunks(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // Lines as equivalence classes (a last line without its newline is its own line).
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let ea = classes(&a, &mut ids);
    let eb = classes(&b, &mut ids);
    let mut ca = vec![false; a.len()];
    let mut cb = vec![false; b.len()];
    for op in similar::capture_diff_slices(algorithm(&ea, &eb), &ea, &eb) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => ca[old_index..old_index + old_len].fill(true),
            DiffOp::Insert {
                new_index, new_len, ..
            } => cb[new_index..new_index + new_len].fill(true),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                ca[old_index..old_index + old_len].fill(true);
                cb[new_index..new_index + new_len].fill(true);
            }
        }
    }
    slide(&mut ca, &gaps(&cb), &ea);
    slide(&mut cb, &gaps(&ca), &eb);
    let mut s = String::new();
    for h in group(&changes(&ca, &cb)) {
        write_hunk(&h, &a, &b, &mut s);
    }
    s
}

/// The algorithm of the first shortest edit script: the classic LCS table where the part
/// between the common head and tail is small enough (its ties fall as GNU diff's do more
/// often than Myers' do), Myers' otherwise (linear space).
fn algorithm(a: &[usize], b: &[usize]) -> Algorithm {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let cells = (a.len() - head - tail) as u64 * (b.len() - head - tail) as u64;
    if cells <= LCS_CELLS {
        Algorithm::Lcs
    } else {
        Algorithm::Myers
    }
}

/// The largest LCS table [`algorithm`] builds (cells).
const LCS_CELLS: u64 = 4_000_000;

/// Each line's class: the same number for the same text.
fn classes<'t>(lines: &[&'t str], ids: &mut HashMap<&'t str, usize>) -> Vec<usize> {
    lines
        .iter()
        .map(|l| {
            let n = ids.len();
            *ids.entry(l).or_insert(n)
        })
        .collect()
}

/// The runs of changed lines GNU diff prints for the same two files: each run of changed lines
/// of one file (`c`, its line classes `e`) is moved back while the line before it equals its
/// last line (joining the run before it), then forward while its first line equals the line
/// after it (joining the runs it meets) until it stops growing; then back to the last place
/// it passed where it sits opposite changed lines of the other file (`gaps[u]`: the other
/// file has changed lines between its unchanged lines `u - 1` and `u`), so that a deletion
/// and an insertion there print as one change.
fn slide(c: &mut [bool], gaps: &[bool], e: &[usize]) {
    let n = c.len();
    // `t` scans the file; `u` counts the unchanged lines before it.
    let (mut t, mut u) = (0, 0);
    loop {
        while t < n && !c[t] {
            t += 1;
            u += 1;
        }
        if t == n {
            break;
        }
        let mut s = t;
        while t < n && c[t] {
            t += 1;
        }
        let mut opposite;
        loop {
            let len = t - s;
            while s > 0 && e[s - 1] == e[t - 1] {
                s -= 1;
                t -= 1;
                c[s] = true;
                c[t] = false;
                u -= 1;
                while s > 0 && c[s - 1] {
                    s -= 1;
                }
            }
            opposite = gaps[u].then_some(t);
            while t < n && e[s] == e[t] {
                c[s] = false;
                c[t] = true;
                s += 1;
                t += 1;
                u += 1;
                while t < n && c[t] {
                    t += 1;
                }
                if gaps[u] {
                    opposite = Some(t);
                }
            }
            if t - s == len {
                break;
            }
        }
        if let Some(end) = opposite {
            while t > end {
                s -= 1;
                t -= 1;
                c[s] = true;
                c[t] = false;
                u -= 1;
            }
        }
    }
}

/// For each place between two unchanged lines of a file (before its first unchanged line,
/// ..., after its last): whether changed lines sit there.
fn gaps(c: &[bool]) -> Vec<bool> {
    let mut out = vec![false];
    for &changed in c {
        if changed {
            *out.last_mut().expect("non-empty") = true;
        } else {
            out.push(false);
        }
    }
    out
}

/// One change: `deleted` lines of the old file from `line0`, `inserted` lines of the new file
/// from `line1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    line0: usize,
    line1: usize,
    deleted: usize,
    inserted: usize,
}

/// The changes, in order: each maximal run of changed lines on either side.
fn changes(ca: &[bool], cb: &[bool]) -> Vec<Change> {
    let at = |c: &[bool], i: usize| c.get(i).copied().unwrap_or(false);
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < ca.len() || j < cb.len() {
        if at(ca, i) || at(cb, j) {
            let (l0, l1) = (i, j);
            while at(ca, i) {
                i += 1;
            }
            while at(cb, j) {
                j += 1;
            }
            out.push(Change {
                line0: l0,
                line1: l1,
                deleted: i - l0,
                inserted: j - l1,
            });
        } else {
            i += 1;
            j += 1;
        }
    }
    out
}

/// The changes grouped into hunks: a change at most `2 * CONTEXT` unchanged lines after the
/// previous one joins its hunk.
fn group(changes: &[Change]) -> Vec<Vec<Change>> {
    let mut out: Vec<Vec<Change>> = Vec::new();
    for c in changes {
        match out.last_mut() {
            Some(h)
                if {
                    let last = h.last().expect("non-empty");
                    c.line0 - (last.line0 + last.deleted) <= 2 * CONTEXT
                } =>
            {
                h.push(*c)
            }
            _ => out.push(vec![*c]),
        }
    }
    out
}

/// `@@ -l,s +l,s @@` and the lines of one hunk.
fn write_hunk(h: &[Change], a: &[&str], b: &[&str], s: &mut String) {
    let (first, last) = (h[0], h[h.len() - 1]);
    let start0 = first.line0.saturating_sub(CONTEXT);
    let start1 = first.line1 - (first.line0 - start0);
    let end0 = (last.line0 + last.deleted + CONTEXT).min(a.len());
    let end1 = last.line1 + last.inserted + (end0 - (last.line0 + last.deleted));
    s.push_str(&format!(
        "@@ -{} +{} @@\n",
        range(start0, end0),
        range(start1, end1)
    ));
    let line = |tag: char, text: &str, s: &mut String| {
        s.push(tag);
        s.push_str(text);
        if !text.ends_with('\n') {
            s.push_str("\n\\ No newline at end of file\n");
        }
    };
    let mut i = start0;
    for c in h {
        for l in &a[i..c.line0] {
            line(' ', l, s);
        }
        for l in &a[c.line0..c.line0 + c.deleted] {
            line('-', l, s);
        }
        for l in &b[c.line1..c.line1 + c.inserted] {
            line('+', l, s);
        }
        i = c.line0 + c.deleted;
    }
    for l in &a[i..end0] {
        line(' ', l, s);
    }
}

/// A hunk header's range of lines `[start, end)` (0-based): `l` for one line, `l,s`
/// otherwise, and for none the line before it with `,0`.
fn range(start: usize, end: usize) -> String {
    match end - start {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

/// The lines of one hunk: ` `, `-` or `+` and the line, and GNU diff's
/// `\ No newline at end of file` after a line that has none.
pub fn hunk_lines(hunk: &UnifiedDiffHunk<'_, '_, '_, str>, s: &mut String) {
    for change in hunk.iter_changes() {
        s.push(match change.tag() {
            ChangeTag::Delete => '-',
            ChangeTag::Insert => '+',
            ChangeTag::Equal => ' ',
        });
        s.push_str(change.value());
        if change.missing_newline() {
            s.push_str("\n\\ No newline at end of file\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs of texts with what GNU diffutils 3.8's `diff -u` printed for them (below its
    /// `---`/`+++` lines), recorded in testdata/unified/ (`NAME.old`, `NAME.new`, `NAME.diff`): YAML
    /// as `kubesim diff` writes it, and texts of few distinct lines where shortest edit scripts
    /// tie (`ties-*`, from a run of 600 random such pairs, of which 596 come out as GNU's).
    #[test]
    fn hunks_are_gnu_diffs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/unified");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let n = e.unwrap().file_name().to_string_lossy().to_string();
                n.strip_suffix(".diff").map(str::to_string)
            })
            .collect();
        names.sort();
        assert!(names.len() >= 5, "{names:?}");
        for n in names {
            let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{n}.{ext}"))).unwrap();
            let want = read("diff");
            // The recorded output without GNU's two header lines.
            let want: String = want.split_inclusive('\n').skip(2).collect();
            assert_eq!(hunks(&read("old"), &read("new")), want, "{n}");
        }
    }

    #[test]
    fn same_texts_have_no_hunks() {
        assert_eq!(hunks("a\nb\n", "a\nb\n"), "");
        assert_eq!(hunks("", ""), "");
    }

    #[test]
    fn an_empty_old_text_is_all_additions() {
        assert_eq!(hunks("", "a\nb\n"), "@@ -0,0 +1,2 @@\n+a\n+b\n");
        assert_eq!(
            hunks("a\n", "a"),
            "@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"
        );
    }
}
