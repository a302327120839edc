//! Word wrapping as kubectl's `explain` does it: [`wrap_string`] is
//! github.com/mitchellh/go-wordwrap v1.0.1's `WrapString` (the `wrap` function of the
//! OpenAPI v3 template), [`wrap_lines`] the `wrapString` of kubectl's openapi v2 formatter
//! (pkg/explain/formatter.go).

/// go-wordwrap's `WrapString`: breaks at white space so that lines stay within `lim`
/// characters where a word allows; a word longer than the limit stays whole.
pub fn wrap_string(s: &str, lim: usize) -> String {
    const NBSP: char = '\u{a0}';
    let mut buf = String::with_capacity(s.len());
    let mut current = 0usize;
    let mut word = String::new();
    let mut space = String::new();
    let (mut word_len, mut space_len) = (0usize, 0usize);
    // Writes the pending white space and word out.
    fn drain(buf: &mut String, space: &mut String, word: &mut String) {
        buf.push_str(space);
        buf.push_str(word);
        space.clear();
        word.clear();
    }
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() && current + space_len > lim {
                space.clear();
            }
            drain(&mut buf, &mut space, &mut word);
            (space_len, word_len) = (0, 0);
            buf.push(c);
            current = 0;
        } else if c.is_whitespace() && c != NBSP {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                drain(&mut buf, &mut space, &mut word);
                (space_len, word_len) = (0, 0);
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + word_len + space_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

/// kubectl's `indent` template function: `amount` spaces before the text and after each
/// newline in it.
pub fn indent(amount: usize, s: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// formatter.go's `wrapString`: the words of each line joined and broken at `wrap`
/// characters, keeping code blocks (four-space indented lines), empty lines after the first,
/// lines after one ending in `:`, and lines that start a list (`1. `, `- `, `* `) apart.
pub fn wrap_lines(s: &str, wrap: usize) -> Vec<String> {
    let mut wrapped: Vec<String> = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    let mut last_word = "";
    fn flush(line: &mut Vec<&str>, wrapped: &mut Vec<String>, last_word: &mut &str) {
        if !line.is_empty() {
            *last_word = "";
            wrapped.push(line.join(" "));
            line.clear();
        }
    }
    for text in s.split('\n') {
        if text.starts_with("    ") {
            flush(&mut line, &mut wrapped, &mut last_word);
            wrapped.push(text.to_string());
            continue;
        }
        if !wrapped.is_empty() && text.trim().is_empty() {
            flush(&mut line, &mut wrapped, &mut last_word);
            wrapped.push(String::new());
            continue;
        }
        if should_start_new_line(last_word, text) {
            flush(&mut line, &mut wrapped, &mut last_word);
        }
        for w in text.split_whitespace() {
            // The line's length with the word: its words and the spaces between them.
            let with_word = line.iter().map(|x| x.len() + 1).sum::<usize>() + w.len();
            if with_word > wrap && !line.is_empty() {
                wrapped.push(line.join(" "));
                line.clear();
            }
            line.push(w);
            last_word = w;
        }
    }
    flush(&mut line, &mut wrapped, &mut last_word);
    wrapped
}

fn should_start_new_line(last_word: &str, text: &str) -> bool {
    if last_word.ends_with(':') || text.starts_with("    ") {
        return true;
    }
    let t = text.trim();
    if t.is_empty() {
        return true;
    }
    // `^(\d+\.?|-|\*)\s`
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 {
        t[digits..].strip_prefix('.').unwrap_or(&t[digits..])
    } else if let Some(r) = t.strip_prefix('-').or_else(|| t.strip_prefix('*')) {
        r
    } else {
        return false;
    };
    rest.starts_with(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    // go-wordwrap's own test table (wordwrap_test.go).
    #[test]
    fn wrap_string_as_go_wordwrap() {
        let cases: &[(&str, &str, usize)] = &[
            ("foo", "foo", 4),
            ("foobarbaz", "foobarbaz", 4),
            ("foo bar baz", "foo\nbar\nbaz", 4),
            ("foo bars bazzes", "foo\nbars\nbazzes", 4),
            ("fo sop", "fo\nsop", 4),
            ("foo bar\u{a0}baz", "foo\nbar\u{a0}baz", 10),
            ("foo\nb\t r\n baz", "foo\nb\t r\n baz", 4),
            ("foo    \nb   ar   ", "foo\nb\nar", 4),
            ("foo bar baz\n", "foo\nbar\nbaz\n", 4),
            ("\nfoo bar\n\n\nbaz\n", "\nfoo\nbar\n\n\nbaz\n", 4),
            (
                " This is a list: \n\n\t* foo\n\t* bar\n\n\n\t* baz  \nBAM    ",
                " This\nis a\nlist: \n\n\t* foo\n\t* bar\n\n\n\t* baz\nBAM",
                6,
            ),
            (
                "\u{2584} \u{2584} \u{2584} \u{2584} ",
                "\u{2584} \u{2584}\n\u{2584} \u{2584} ",
                4,
            ),
        ];
        for (input, want, lim) in cases {
            assert_eq!(&wrap_string(input, *lim), want, "{input:?} at {lim}");
        }
    }

    #[test]
    fn indent_pads_every_line() {
        assert_eq!(indent(2, "a\nb\n"), "  a\n  b\n  ");
    }

    // formatter_test.go's cases.
    #[test]
    fn wrap_lines_as_the_v2_formatter() {
        let text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";
        let lines = wrap_lines(text, 50);
        assert_eq!(
            lines[0],
            "Lorem ipsum dolor sit amet, consectetur adipiscing"
        );
        assert!(lines.iter().all(|l| l.len() <= 50));
        assert_eq!(
            wrap_lines("Example:\n  1. one\n  2. two\n\n    code\nend", 80),
            vec!["Example:", "1. one", "2. two", "", "    code", "end"]
        );
        assert_eq!(wrap_lines("a b\nc", 80), vec!["a b c"]);
    }
}
