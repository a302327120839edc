//! Column alignment exactly as kubectl does it: a port of Go's `text/tabwriter`
//! in the `github.com/liggitt/tabwriter` fork that kubectl uses (adds the
//! `RememberWidths` flag).
//!
//! Input is text made of lines (`\n`, or `\f` which also flushes) of cells
//! terminated by `\t` (or the "soft" `\v`). Tab-terminated cells in consecutive
//! lines form a column *block*; each cell of a block is padded to
//! `max(minwidth, widest cell + padding)` (width in Unicode code points). The
//! last cell of a line is not tab-terminated, belongs to no column and is never
//! padded. A line with a single cell (e.g. an empty line) flushes: blocks never
//! span it.
//!
//! - [`format()`] runs one write + flush on a fresh writer: what kubectl prints for
//!   one table group ([`KUBECTL_GET`]) or one `describe` output ([`DESCRIBE`]).
//! - [`table`] is the `kubectl get` shortcut: rows of cells (the header is just the
//!   first row) joined with TABs and formatted with [`KUBECTL_GET`].
//! - [`sanitize_cell`] applies kubectl's string-cell cleaning before joining.
//! - [`Writer`] is the stateful writer (several writes/flushes, remembered widths)
//!   for output such as `--watch`, where widths persist across flushes.
//!
//! Go's HTML filtering and `0xff` escape sequences are not supported (kubectl
//! uses neither, and `0xff` cannot occur in a `&str`).

/// Writer configuration (Go's `Init` parameters and flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Minimal cell width including any padding.
    pub minwidth: usize,
    /// Width of a tab character (only used when padding with tabs).
    pub tabwidth: usize,
    /// Padding added to a cell before computing its width.
    pub padding: usize,
    /// Character used for padding; `'\t'` pads with tabs and forces left alignment.
    pub padchar: char,
    /// `AlignRight`: right-align cell contents.
    pub align_right: bool,
    /// `DiscardEmptyColumns`: columns made only of empty soft-tab (`\v`) cells get width 0.
    pub discard_empty_columns: bool,
    /// `TabIndent`: pad leading empty cells with tabs regardless of `padchar`.
    pub tab_indent: bool,
    /// `Debug`: print `|` between columns.
    pub debug: bool,
    /// `RememberWidths` (liggitt fork): column widths never shrink across flushes.
    pub remember_widths: bool,
}

/// `kubectl get` tables (cli-runtime `GetNewTabWriter`): minwidth 6, tabwidth 4,
/// padding 3, space, `RememberWidths`.
pub const KUBECTL_GET: Config = Config {
    minwidth: 6,
    tabwidth: 4,
    padding: 3,
    padchar: ' ',
    align_right: false,
    discard_empty_columns: false,
    tab_indent: false,
    debug: false,
    remember_widths: true,
};

/// `kubectl describe` (and `rollout history`): minwidth 0, tabwidth 8, padding 2,
/// space, no flags.
pub const DESCRIBE: Config = Config {
    minwidth: 0,
    tabwidth: 8,
    padding: 2,
    padchar: ' ',
    align_right: false,
    discard_empty_columns: false,
    tab_indent: false,
    debug: false,
    remember_widths: false,
};

/// Formats `text` (lines of TAB-terminated cells) in one go, as a fresh Go
/// tabwriter would after one `Write` and one `Flush`.
pub fn format(text: &str, cfg: &Config) -> String {
    let mut w = Writer::new(*cfg);
    w.write(text);
    w.flush();
    w.take_output()
}

/// Joins each row's cells with TAB, ends each row with `\n`, and formats the
/// result with [`KUBECTL_GET`]. Cells are used verbatim: run string cells
/// through [`sanitize_cell`] first, as kubectl does for table rows (not headers).
pub fn table(rows: &[Vec<String>]) -> String {
    let mut text = String::new();
    for row in rows {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    format(&text, &KUBECTL_GET)
}

/// kubectl's cleaning of a string table cell (cli-runtime `printTable` +
/// `WriteEscaped`): cut at the first `\f`, `\n` or `\r` and append `...`;
/// ESC becomes `^[` (and CR `\r`, though none survives the cut).
pub fn sanitize_cell(s: &str) -> String {
    let (text, truncated) = match s.find(['\x0c', '\n', '\r']) {
        Some(i) => (&s[..i], true),
        None => (s, false),
    };
    let mut out = text.replace('\x1b', "^[").replace('\r', "\\r");
    if truncated {
        out.push_str("...");
    }
    out
}

/// A segment of text terminated by a tab or line break.
#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    /// Size in bytes.
    size: usize,
    /// Width in code points.
    width: usize,
    /// Terminated by a hard tab (`\t`).
    htab: bool,
}

/// Stateful port of the Go writer: call [`Writer::write`] any number of times,
/// then [`Writer::flush`]; the formatted text accumulates in the output buffer.
#[derive(Clone, Debug)]
pub struct Writer {
    cfg: Config,
    out: String,
    /// Collected text without tabs and line breaks.
    buf: String,
    /// Current incomplete cell.
    cell: Cell,
    /// Lines of terminated cells.
    lines: Vec<Vec<Cell>>,
    /// Column widths during formatting.
    widths: Vec<usize>,
    /// Remembered maximal widths (`RememberWidths`).
    maxwidths: Vec<usize>,
}

impl Writer {
    /// A new writer (Go's `NewWriter`); a `'\t'` padchar disables right alignment.
    pub fn new(mut cfg: Config) -> Self {
        if cfg.padchar == '\t' {
            cfg.align_right = false;
        }
        Writer {
            cfg,
            out: String::new(),
            buf: String::new(),
            cell: Cell::default(),
            lines: vec![Vec::new()],
            widths: Vec::new(),
            maxwidths: Vec::new(),
        }
    }

    /// Feeds text; complete blocks may already be formatted into the output
    /// (a line with one cell, or `\f`, flushes).
    pub fn write(&mut self, text: &str) {
        let mut n = 0;
        for (i, ch) in text.char_indices() {
            if matches!(ch, '\t' | '\x0b' | '\n' | '\x0c') {
                self.append(&text[n..i]);
                n = i + 1;
                let ncells = self.terminate_cell(ch == '\t');
                if ch == '\n' || ch == '\x0c' {
                    self.lines.push(Vec::new());
                    if ch == '\x0c' || ncells == 1 {
                        self.flush();
                        if ch == '\x0c' && self.cfg.debug {
                            self.out.push_str("---\n");
                        }
                    }
                }
            }
        }
        self.append(&text[n..]);
    }

    /// Formats everything buffered into the output and resets the buffer
    /// (remembered widths are kept).
    pub fn flush(&mut self) {
        if self.cell.size > 0 {
            self.terminate_cell(false);
        }
        let n = self.lines.len();
        self.format_block(0, 0, n);
        self.buf.clear();
        self.cell = Cell::default();
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    /// The formatted output so far.
    pub fn output(&self) -> &str {
        &self.out
    }

    /// Takes the formatted output so far, leaving the output buffer empty.
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// A copy of the remembered per-column maximum widths.
    pub fn remembered_widths(&self) -> Vec<usize> {
        self.maxwidths.clone()
    }

    /// Sets the remembered per-column maximum widths (empty = forget them, as
    /// `kubectl get` does between resource kinds).
    pub fn set_remembered_widths(&mut self, widths: &[usize]) {
        self.maxwidths = widths.to_vec();
    }

    fn append(&mut self, text: &str) {
        self.buf.push_str(text);
        self.cell.size += text.len();
        self.cell.width += text.chars().count();
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = std::mem::take(&mut self.cell);
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let line = self.lines.last_mut().expect("at least one line");
        line.push(cell);
        line.len()
    }

    fn write_padding(&mut self, textw: usize, cellw: usize, use_tabs: bool) {
        if self.cfg.padchar == '\t' || use_tabs {
            let tw = self.cfg.tabwidth;
            if tw == 0 {
                return;
            }
            let cellw = cellw.div_ceil(tw) * tw;
            let n = cellw.saturating_sub(textw);
            for _ in 0..n.div_ceil(tw) {
                self.out.push('\t');
            }
            return;
        }
        for _ in 0..cellw.saturating_sub(textw) {
            self.out.push(self.cfg.padchar);
        }
    }

    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            let mut use_tabs = self.cfg.tab_indent;
            for j in 0..self.lines[i].len() {
                let c = self.lines[i][j];
                if j > 0 && self.cfg.debug {
                    self.out.push('|');
                }
                if c.size == 0 {
                    if j < self.widths.len() {
                        self.write_padding(c.width, self.widths[j], use_tabs);
                    }
                } else {
                    use_tabs = false;
                    if !self.cfg.align_right {
                        self.out.push_str(&self.buf[pos..pos + c.size]);
                        pos += c.size;
                        if j < self.widths.len() {
                            self.write_padding(c.width, self.widths[j], false);
                        }
                    } else {
                        if j < self.widths.len() {
                            self.write_padding(c.width, self.widths[j], false);
                        }
                        self.out.push_str(&self.buf[pos..pos + c.size]);
                        pos += c.size;
                    }
                }
            }
            if i + 1 == self.lines.len() {
                // Last buffered line: no newline, write any pending cell text.
                let end = (pos + self.cell.size).min(self.buf.len());
                self.out.push_str(&self.buf[pos..end]);
                pos = end;
            } else {
                self.out.push('\n');
            }
        }
        pos
    }

    /// Go's `format`: the column-block recursion.
    fn format_block(&mut self, pos0: usize, mut line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // A cell exists in this column: print the lines before the block.
            pos = self.write_lines(pos, line0, this);
            line0 = this;

            // Column block.
            let mut width = self.cfg.minwidth;
            let mut discardable = true;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                let c = line[column];
                width = width.max(c.width + self.cfg.padding);
                if c.width > 0 || c.htab {
                    discardable = false;
                }
                this += 1;
            }
            if discardable && self.cfg.discard_empty_columns {
                width = 0;
            }
            if self.cfg.remember_widths {
                let k = self.widths.len();
                if self.maxwidths.len() < k {
                    let missing = self.widths[self.maxwidths.len()..].to_vec();
                    self.maxwidths.extend(missing);
                }
                if self.maxwidths.len() == k {
                    self.maxwidths.push(width);
                } else if self.maxwidths[k] > width {
                    width = self.maxwidths[k];
                } else if self.maxwidths[k] < width {
                    self.maxwidths[k] = width;
                }
            }
            // Format the columns to the right of this one.
            self.widths.push(width);
            pos = self.format_block(pos, line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(pos, line0, line1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(minwidth: usize, tabwidth: usize, padding: usize, padchar: char) -> Config {
        Config {
            minwidth,
            tabwidth,
            padding,
            padchar,
            align_right: false,
            discard_empty_columns: false,
            tab_indent: false,
            debug: false,
            remember_widths: false,
        }
    }

    #[test]
    fn kubectl_get_observed() {
        let rows = |r: &[&[&str]]| -> Vec<Vec<String>> {
            r.iter()
                .map(|c| c.iter().map(|s| s.to_string()).collect())
                .collect()
        };
        assert_eq!(
            table(&rows(&[
                &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
                &["replicationcontroller/a", "1", "1", "1", "3h20m"],
            ])),
            "NAME                      DESIRED   CURRENT   READY   AGE\n\
             replicationcontroller/a   1         1         1       3h20m\n"
        );
        assert_eq!(
            table(&rows(&[
                &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
                &["pod/nginx-7854ff8877-abcde", "1/1", "Running", "0", "5m12s"],
                &["pod/web", "0/1", "CrashLoopBackOff", "5 (2m ago)", "84m"],
            ])),
            "NAME                         READY   STATUS             RESTARTS     AGE\n\
             pod/nginx-7854ff8877-abcde   1/1     Running            0            5m12s\n\
             pod/web                      0/1     CrashLoopBackOff   5 (2m ago)   84m\n"
        );
        // --no-headers: READY column holding only "1/1" is 6 wide (minwidth).
        assert_eq!(
            table(&rows(&[&[
                "replicationcontroller/a",
                "1",
                "1",
                "1",
                "3h20m"
            ]])),
            "replicationcontroller/a   1     1     1     3h20m\n"
        );
        assert_eq!(
            table(&rows(&[&["deployment.apps/nginx", "3/3", "3", "3", "12d"]])),
            "deployment.apps/nginx   3/3   3     3     12d\n"
        );
        // -L foo with the label missing: the padded previous cell leaves trailing spaces.
        assert_eq!(
            table(&rows(&[&["NAME", "AGE", "FOO"], &["web", "84m", ""]])),
            "NAME   AGE   FOO\nweb    84m   \n"
        );
        // Widths are in code points.
        assert_eq!(
            table(&rows(&[&["NAME", "X"], &["ñandú", "y"]])),
            "NAME    X\nñandú   y\n"
        );
        assert_eq!(table(&[]), "");
    }

    #[test]
    fn kubectl_config_get_contexts_observed() {
        // `kubectl config get-contexts` (kubectl 1.33.1) also uses GetNewTabWriter.
        let rows = |r: &[[&str; 5]]| -> Vec<Vec<String>> {
            r.iter()
                .map(|c| c.iter().map(|s| s.to_string()).collect())
                .collect()
        };
        let body = [
            ["", "c", "c1", "u", ""],
            ["*", "ctx-a", "c1", "u", ""],
            [
                "",
                "\u{f1}and\u{fa}-context-b",
                "cluster-with-long-name",
                "u",
                "kube-system",
            ],
        ];
        let mut all = vec![["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]];
        all.extend(body);
        assert_eq!(
            table(&rows(&all)),
            "CURRENT   NAME              CLUSTER                  AUTHINFO   NAMESPACE\n\
             \x20         c                 c1                       u          \n\
             *         ctx-a             c1                       u          \n\
             \x20         \u{f1}and\u{fa}-context-b   cluster-with-long-name   u          kube-system\n"
        );
        assert_eq!(
            table(&rows(&body)),
            "      c                 c1                       u     \n\
             *     ctx-a             c1                       u     \n\
             \x20     \u{f1}and\u{fa}-context-b   cluster-with-long-name   u     kube-system\n"
        );
    }

    #[test]
    fn describe_blocks() {
        let text = "Name:\tnginx\n\
                    Namespace:\tdefault\n\
                    RollingUpdateStrategy:\t25% max unavailable, 25% max surge\n\
                    Pod Template:\n\
                    \x20\x20Labels:\tapp=nginx\n\
                    \x20\x20Containers:\n\
                    \x20\x20 nginx:\n\
                    \x20\x20\x20\x20Image:\tnginx:1.25\n\
                    \x20\x20\x20\x20Host Port:\t0/TCP\n";
        assert_eq!(
            format(text, &DESCRIBE),
            "Name:                   nginx\n\
             Namespace:              default\n\
             RollingUpdateStrategy:  25% max unavailable, 25% max surge\n\
             Pod Template:\n\
             \x20\x20Labels:  app=nginx\n\
             \x20\x20Containers:\n\
             \x20\x20 nginx:\n\
             \x20\x20\x20\x20Image:      nginx:1.25\n\
             \x20\x20\x20\x20Host Port:  0/TCP\n"
        );
        // Multi-value keys continue on lines starting with a TAB.
        assert_eq!(
            format("Labels:\ta=b\n\tc=d\nAnnotations:\t<none>\n", &DESCRIBE),
            "Labels:       a=b\n              c=d\nAnnotations:  <none>\n"
        );
    }

    #[test]
    fn sanitize() {
        assert_eq!(sanitize_cell("plain"), "plain");
        assert_eq!(sanitize_cell("a\nb"), "a...");
        assert_eq!(sanitize_cell("a\rb\nc"), "a...");
        assert_eq!(sanitize_cell("\x0cx"), "...");
        assert_eq!(sanitize_cell("\x1b[31mred"), "^[[31mred");
        assert_eq!(sanitize_cell("tab\tstays"), "tab\tstays");
    }

    #[test]
    fn multi_write_remember_widths() {
        // liggitt/tabwriter TestMultiWrite.
        let mut w = Writer::new(KUBECTL_GET);
        w.write("First\tMiddle\tLast\n");
        w.write("a\tbb\tccc\n");
        w.write("ddd\teeeeeeeeeeeeee\tf\n");
        w.flush();
        let mut want = String::from(
            "First   Middle           Last\n\
             a       bb               ccc\n\
             ddd     eeeeeeeeeeeeee   f\n",
        );
        assert_eq!(w.output(), want);
        w.write("g\th\ti\n");
        w.flush();
        want.push_str("g       h                i\n");
        assert_eq!(w.output(), want);
        w.write("j\t\t\n");
        w.flush();
        w.write("\tk\t\n");
        w.flush();
        w.write("\t\tl\n");
        w.flush();
        want.push_str(
            "j                        \n        k                \n                         l\n",
        );
        assert_eq!(w.output(), want);
        w.write("mmmmmmmmmmmmmmm\tnnn\tooo\n");
        w.flush();
        want.push_str("mmmmmmmmmmmmmmm   nnn              ooo\n");
        assert_eq!(w.output(), want);

        let mut w2 = Writer::new(KUBECTL_GET);
        w2.set_remembered_widths(&w.remembered_widths());
        w2.write("p\tq\tr\n");
        w2.flush();
        assert_eq!(w2.output(), "p                 q                r\n");
        assert_eq!(w2.remembered_widths(), vec![18, 17]);
        w2.set_remembered_widths(&[]);
        w2.write("sssss\tt\tu\n");
        w2.flush();
        assert_eq!(
            w2.output(),
            "p                 q                r\nsssss   t     u\n"
        );
        assert_eq!(w2.remembered_widths(), vec![8, 6]);
    }

    // Go's text/tabwriter test vectors (tabwriter_test.go), without the HTML
    // filtering and escape-sequence cases. Flags: A = AlignRight,
    // D = DiscardEmptyColumns, T = TabIndent, G = Debug.
    type GoCase = (
        &'static str,
        usize,
        usize,
        usize,
        char,
        &'static str,
        &'static str,
        &'static str,
    );

    const GO_CASES: &[GoCase] = &[
        ("1a", 8, 0, 1, '.', "", "", ""),
        ("1a debug", 8, 0, 1, '.', "G", "", ""),
        ("2", 8, 0, 1, '.', "", "\n\n\n", "\n\n\n"),
        ("3", 8, 0, 1, '.', "", "a\nb\nc", "a\nb\nc"),
        ("4a", 8, 0, 1, '.', "", "\t", ""),
        ("4b", 8, 0, 1, '.', "A", "\t", ""),
        ("5", 8, 0, 1, '.', "", "*\t*", "*.......*"),
        ("5b", 8, 0, 1, '.', "", "*\t*\n", "*.......*\n"),
        ("5c", 8, 0, 1, '.', "", "*\t*\t", "*.......*"),
        ("5c debug", 8, 0, 1, '.', "G", "*\t*\t", "*.......|*"),
        ("5d", 8, 0, 1, '.', "A", "*\t*\t", ".......**"),
        ("6", 8, 0, 1, '.', "", "\t\n", "........\n"),
        ("7a", 8, 0, 1, '.', "", "a) foo", "a) foo"),
        ("7b", 8, 0, 1, ' ', "", "b) foo\tbar", "b) foo  bar"),
        ("7c", 8, 0, 1, '.', "", "c) foo\tbar\t", "c) foo..bar"),
        ("7d", 8, 0, 1, '.', "", "d) foo\tbar\n", "d) foo..bar\n"),
        (
            "7e",
            8,
            0,
            1,
            '.',
            "",
            "e) foo\tbar\t\n",
            "e) foo..bar.....\n",
        ),
        ("8", 8, 0, 1, '*', "", "Hello, world!\n", "Hello, world!\n"),
        (
            "9a",
            1,
            0,
            0,
            '.',
            "",
            "1\t2\t3\t4\n11\t222\t3333\t44444\n",
            "1.2..3...4\n11222333344444\n",
        ),
        (
            "9c",
            1,
            0,
            0,
            '.',
            "",
            "1\t2\t3\t4\u{c}11\t222\t3333\t44444\n",
            "1234\n11222333344444\n",
        ),
        (
            "9c debug",
            1,
            0,
            0,
            '.',
            "G",
            "1\t2\t3\t4\u{c}11\t222\t3333\t44444\n",
            "1|2|3|4\n---\n11|222|3333|44444\n",
        ),
        (
            "10a",
            5,
            0,
            0,
            '.',
            "",
            "1\t2\t3\t4\n",
            "1....2....3....4\n",
        ),
        (
            "10b",
            5,
            0,
            0,
            '.',
            "",
            "1\t2\t3\t4\t\n",
            "1....2....3....4....\n",
        ),
        (
            "11",
            8,
            0,
            1,
            '.',
            "",
            "\u{672c}\tb\tc\naa\t\u{672c}\u{672c}\u{672c}\tcccc\tddddd\naaa\tbbbb\n",
            "\u{672c}.......b.......c\naa......\u{672c}\u{672c}\u{672c}.....cccc....ddddd\naaa.....bbbb\n",
        ),
        (
            "12a",
            8,
            0,
            1,
            ' ',
            "A",
            "a\t\u{e8}\tc\t\naa\t\u{e8}\u{e8}\u{e8}\tcccc\tddddd\t\naaa\t\u{e8}\u{e8}\u{e8}\u{e8}\t\n",
            "       a       \u{e8}       c\n      aa     \u{e8}\u{e8}\u{e8}    cccc   ddddd\n     aaa    \u{e8}\u{e8}\u{e8}\u{e8}\n",
        ),
        (
            "12b",
            2,
            0,
            0,
            ' ',
            "",
            "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
            "a  b  c\naa bbbcccc\naaabbbb\n",
        ),
        (
            "12c",
            8,
            0,
            1,
            '_',
            "",
            "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
            "a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n",
        ),
        (
            "13a",
            4,
            0,
            1,
            '-',
            "",
            "4444\t\u{65e5}\u{672c}\u{8a9e}\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
            "4444------\u{65e5}\u{672c}\u{8a9e}-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n",
        ),
        (
            "13b",
            4,
            0,
            3,
            '.',
            "",
            "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
            "4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n",
        ),
        (
            "14",
            1,
            0,
            2,
            ' ',
            "A",
            ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
            "    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3",
        ),
        (
            "14 debug",
            1,
            0,
            2,
            ' ',
            "AG",
            ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
            "    .0|          .3|    2.4|    -5.1|\n  23.0|  12345678.9|    2.4|  -989.4|\n   5.1|        12.0|    2.4|    -7.0|\n    .0|         0.0|  332.0|  8908.0|\n    .0|         -.3|  456.4|    22.1|\n    .0|         1.2|   44.4|   -13.3|",
        ),
        ("15a", 4, 0, 0, '.', "", "a\t\tb", "a.......b"),
        ("15b", 4, 0, 0, '.', "D", "a\t\tb", "a.......b"),
        ("15c", 4, 0, 0, '.', "D", "a\u{b}\u{b}b", "a...b"),
        ("15d", 4, 0, 0, '.', "AD", "a\u{b}\u{b}b", "...ab"),
        (
            "16a",
            100,
            100,
            0,
            '\t',
            "",
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        ),
        (
            "16b",
            100,
            100,
            0,
            '\t',
            "D",
            "a\u{b}b\u{b}\u{b}d\na\u{b}b\u{b}\u{b}d\u{b}e\na\na\u{b}b\u{b}c\u{b}d\na\u{b}b\u{b}c\u{b}d\u{b}e\n",
            "a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        ),
        (
            "16b debug",
            100,
            100,
            0,
            '\t',
            "DG",
            "a\u{b}b\u{b}\u{b}d\na\u{b}b\u{b}\u{b}d\u{b}e\na\na\u{b}b\u{b}c\u{b}d\na\u{b}b\u{b}c\u{b}d\u{b}e\n",
            "a\t|b\t||d\na\t|b\t||d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
        ),
        (
            "16c",
            100,
            100,
            0,
            '\t',
            "D",
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        ),
        (
            "16c debug",
            100,
            100,
            0,
            '\t',
            "DG",
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            "a\t|b\t|\t|d\na\t|b\t|\t|d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
        ),
    ];

    fn run_go_case(c: &GoCase) {
        let mut cfg = cfg(c.1, c.2, c.3, c.4);
        cfg.align_right = c.5.contains('A');
        cfg.discard_empty_columns = c.5.contains('D');
        cfg.tab_indent = c.5.contains('T');
        cfg.debug = c.5.contains('G');
        assert_eq!(format(c.6, &cfg), c.7, "case {}", c.0);
        // Written byte-by-byte (char by char) must give the same result.
        let mut w = Writer::new(cfg);
        for ch in c.6.chars() {
            w.write(ch.encode_utf8(&mut [0; 4]));
        }
        w.flush();
        assert_eq!(w.output(), c.7, "case {} (char by char)", c.0);
    }

    #[test]
    fn go_test_vectors() {
        for c in GO_CASES {
            run_go_case(c);
        }
    }
}
