//! Go's text/template/parse lexer (lex.go, Go 1.24): items with their byte offsets and
//! lines, trim markers `{{- ` / ` -}}`, comments, raw strings, char constants and numbers
//! scanned as Go scans them (the parser checks their syntax).

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum It {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords (after `Keyword`).
    Keyword,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub typ: It,
    pub pos: usize,
    pub val: String,
    pub line: usize,
}

impl std::fmt::Display for Item {
    /// `item.String()`: `EOF`, the error text, `<if>` for keywords, `"x"` quoted (`%.10q...`
    /// when longer than 10 bytes).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.typ {
            It::Eof => f.write_str("EOF"),
            It::Error => f.write_str(&self.val),
            t if t > It::Keyword => write!(f, "<{}>", self.val),
            _ if self.val.len() > 10 => {
                let s: String = self.val.chars().take(10).collect();
                write!(f, "{}...", super::fmt::quote(&s))
            }
            _ => f.write_str(&super::fmt::quote(&self.val)),
        }
    }
}

fn keyword(word: &str) -> Option<It> {
    Some(match word {
        "." => It::Dot,
        "block" => It::Block,
        "break" => It::Break,
        "continue" => It::Continue,
        "define" => It::Define,
        "else" => It::Else,
        "end" => It::End,
        "if" => It::If,
        "range" => It::Range,
        "nil" => It::Nil,
        "template" => It::Template,
        "with" => It::With,
        _ => return None,
    })
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

#[derive(Clone, Copy)]
enum State {
    Text,
    InsideAction,
}

pub struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    at_eof: bool,
    paren_depth: i32,
    line: usize,
    start_line: usize,
    inside_action: bool,
    done: bool,
}

fn is_space(r: Option<char>) -> bool {
    matches!(r, Some(' ' | '\t' | '\r' | '\n'))
}

fn is_alnum(r: Option<char>) -> bool {
    matches!(r, Some(c) if c == '_' || c.is_alphabetic() || c.is_numeric())
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(Some(b[1] as char))
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(Some(b[0] as char)) && b[1] == b'-'
}

const SPACE_CHARS: &[char] = &[' ', '\t', '\r', '\n'];

/// Go's `%#U`: `U+007D '}'`.
pub fn sharp_u(r: char) -> String {
    if super::fmt::is_print(r) {
        format!("U+{:04X} '{r}'", r as u32)
    } else {
        format!("U+{:04X}", r as u32)
    }
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a str) -> Lexer<'a> {
        Lexer {
            input,
            pos: 0,
            start: 0,
            at_eof: false,
            paren_depth: 0,
            line: 1,
            start_line: 1,
            inside_action: false,
            done: false,
        }
    }

    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            None => {
                self.at_eof = true;
                None
            }
            Some(c) => {
                self.pos += c.len_utf8();
                if c == '\n' {
                    self.line += 1;
                }
                Some(c)
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn backup(&mut self) {
        if !self.at_eof && self.pos > 0 {
            let c = self.input[..self.pos].chars().next_back().unwrap_or(' ');
            self.pos -= c.len_utf8();
            if c == '\n' {
                self.line -= 1;
            }
        }
    }

    fn this_item(&mut self, t: It) -> Item {
        let i = Item {
            typ: t,
            pos: self.start,
            val: self.input[self.start..self.pos].to_string(),
            line: self.start_line,
        };
        self.start = self.pos;
        self.start_line = self.line;
        i
    }

    fn ignore(&mut self) {
        self.line += self.input[self.start..self.pos].matches('\n').count();
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.next() {
            Some(c) if valid.contains(c) => true,
            _ => {
                self.backup();
                false
            }
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while matches!(self.next(), Some(c) if valid.contains(c)) {}
        self.backup();
    }

    fn errorf(&mut self, msg: String) -> Item {
        let i = Item {
            typ: It::Error,
            pos: self.start,
            val: msg,
            line: self.start_line,
        };
        self.done = true;
        i
    }

    /// The next item (an `Error` or `Eof` item ends the stream; later calls repeat `Eof`).
    pub fn next_item(&mut self) -> Item {
        if self.done {
            return Item {
                typ: It::Eof,
                pos: self.pos,
                val: "EOF".into(),
                line: self.start_line,
            };
        }
        let mut state = if self.inside_action {
            State::InsideAction
        } else {
            State::Text
        };
        loop {
            let r = match state {
                State::Text => self.lex_text(),
                State::InsideAction => self.lex_inside_action(),
            };
            match r {
                Ok(item) => {
                    if matches!(item.typ, It::Eof | It::Error) {
                        self.done = true;
                    }
                    return item;
                }
                Err(s) => state = s,
            }
        }
    }

    fn lex_text(&mut self) -> Result<Item, State> {
        if let Some(x) = self.input[self.pos..].find(LEFT) {
            if x > 0 {
                self.pos += x;
                let mut trim = 0;
                let delim_end = self.pos + LEFT.len();
                if has_left_trim(&self.input[delim_end..]) {
                    let s = &self.input[self.start..self.pos];
                    trim = s.len() - s.trim_end_matches(SPACE_CHARS).len();
                }
                self.pos -= trim;
                self.line += self.input[self.start..self.pos].matches('\n').count();
                let i = self.this_item(It::Text);
                self.pos += trim;
                self.ignore();
                if !i.val.is_empty() {
                    return Ok(i);
                }
            }
            return self.lex_left_delim();
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.line += self.input[self.start..self.pos].matches('\n').count();
            return Ok(self.this_item(It::Text));
        }
        Ok(self.this_item(It::Eof))
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.input[self.pos..];
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (rest.starts_with(RIGHT), false)
    }

    fn lex_left_delim(&mut self) -> Result<Item, State> {
        self.pos += LEFT.len();
        let trim = has_left_trim(&self.input[self.pos..]);
        let after = if trim { 2 } else { 0 };
        if self.input[self.pos + after..].starts_with("/*") {
            self.pos += after;
            self.ignore();
            return self.lex_comment();
        }
        let i = self.this_item(It::LeftDelim);
        self.inside_action = true;
        self.pos += after;
        self.ignore();
        self.paren_depth = 0;
        Ok(i)
    }

    fn lex_comment(&mut self) -> Result<Item, State> {
        self.pos += 2;
        let Some(x) = self.input[self.pos..].find("*/") else {
            return Ok(self.errorf("unclosed comment".into()));
        };
        self.pos += x + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return Ok(self.errorf("comment ends before closing delimiter".into()));
        }
        self.line += self.input[self.start..self.pos].matches('\n').count();
        let _ = self.this_item(It::Text);
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            let s = &self.input[self.pos..];
            self.pos += s.len() - s.trim_start_matches(SPACE_CHARS).len();
        }
        self.ignore();
        Err(State::Text)
    }

    fn lex_right_delim(&mut self) -> Result<Item, State> {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += 2;
            self.ignore();
        }
        self.pos += RIGHT.len();
        let i = self.this_item(It::RightDelim);
        if trim {
            let s = &self.input[self.pos..];
            self.pos += s.len() - s.trim_start_matches(SPACE_CHARS).len();
            self.ignore();
        }
        self.inside_action = false;
        Ok(i)
    }

    fn lex_inside_action(&mut self) -> Result<Item, State> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return self.lex_right_delim();
            }
            return Ok(self.errorf("unclosed left paren".into()));
        }
        let r = self.next();
        match r {
            None => Ok(self.errorf("unclosed action".into())),
            Some(' ' | '\t' | '\r' | '\n') => {
                self.backup();
                self.lex_space()
            }
            Some('=') => Ok(self.this_item(It::Assign)),
            Some(':') => {
                if self.next() != Some('=') {
                    return Ok(self.errorf("expected :=".into()));
                }
                Ok(self.this_item(It::Declare))
            }
            Some('|') => Ok(self.this_item(It::Pipe)),
            Some('"') => self.lex_quote(),
            Some('`') => self.lex_raw_quote(),
            Some('$') => self.lex_variable(),
            Some('\'') => self.lex_char(),
            Some('.') => {
                if self.pos < self.input.len() {
                    let b = self.input.as_bytes()[self.pos];
                    if !b.is_ascii_digit() {
                        return self.lex_field_or_variable(It::Field);
                    }
                }
                self.backup();
                self.lex_number()
            }
            Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                self.backup();
                self.lex_number()
            }
            Some(c) if is_alnum(Some(c)) => {
                self.backup();
                self.lex_identifier()
            }
            Some('(') => {
                self.paren_depth += 1;
                Ok(self.this_item(It::LeftParen))
            }
            Some(')') => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return Ok(self.errorf("unexpected right paren".into()));
                }
                Ok(self.this_item(It::RightParen))
            }
            Some(c) if c.is_ascii() && super::fmt::is_print(c) => Ok(self.this_item(It::Char)),
            Some(c) => Ok(self.errorf(format!("unrecognized character in action: {}", sharp_u(c)))),
        }
    }

    fn lex_space(&mut self) -> Result<Item, State> {
        let mut n = 0;
        while is_space(self.peek()) {
            self.next();
            n += 1;
        }
        let rest = &self.input[self.pos - 1..];
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            self.backup();
            if n == 1 {
                return self.lex_right_delim();
            }
        }
        Ok(self.this_item(It::Space))
    }

    fn lex_identifier(&mut self) -> Result<Item, State> {
        loop {
            let r = self.next();
            if is_alnum(r) {
                continue;
            }
            self.backup();
            let word = &self.input[self.start..self.pos];
            if !self.at_terminator() {
                return Ok(self.errorf(format!("bad character {}", sharp_u(r.unwrap_or(' ')))));
            }
            let t = match keyword(word) {
                Some(k) => k,
                None if word.starts_with('.') => It::Field,
                None if word == "true" || word == "false" => It::Bool,
                None => It::Identifier,
            };
            return Ok(self.this_item(t));
        }
    }

    fn lex_variable(&mut self) -> Result<Item, State> {
        if self.at_terminator() {
            return Ok(self.this_item(It::Variable));
        }
        self.lex_field_or_variable(It::Variable)
    }

    fn lex_field_or_variable(&mut self, typ: It) -> Result<Item, State> {
        if self.at_terminator() {
            let t = if typ == It::Variable {
                It::Variable
            } else {
                It::Dot
            };
            return Ok(self.this_item(t));
        }
        let r = loop {
            let r = self.next();
            if !is_alnum(r) {
                self.backup();
                break r;
            }
        };
        if !self.at_terminator() {
            return Ok(self.errorf(format!("bad character {}", sharp_u(r.unwrap_or(' ')))));
        }
        Ok(self.this_item(typ))
    }

    fn at_terminator(&mut self) -> bool {
        let r = self.peek();
        if is_space(r) {
            return true;
        }
        match r {
            None | Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.input[self.pos..].starts_with(RIGHT),
        }
    }

    fn lex_char(&mut self) -> Result<Item, State> {
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return Ok(self.errorf("unterminated character constant".into()));
                    }
                }
                None | Some('\n') => {
                    return Ok(self.errorf("unterminated character constant".into()));
                }
                Some('\'') => break,
                _ => {}
            }
        }
        Ok(self.this_item(It::CharConstant))
    }

    fn lex_number(&mut self) -> Result<Item, State> {
        if !self.scan_number() {
            let t = super::fmt::quote(&self.input[self.start..self.pos]);
            return Ok(self.errorf(format!("bad number syntax: {t}")));
        }
        if let Some('+' | '-') = self.peek() {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let t = super::fmt::quote(&self.input[self.start..self.pos]);
                return Ok(self.errorf(format!("bad number syntax: {t}")));
            }
            return Ok(self.this_item(It::Complex));
        }
        Ok(self.this_item(It::Number))
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if is_alnum(self.peek()) {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> Result<Item, State> {
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return Ok(self.errorf("unterminated quoted string".into()));
                    }
                }
                None | Some('\n') => return Ok(self.errorf("unterminated quoted string".into())),
                Some('"') => break,
                _ => {}
            }
        }
        Ok(self.this_item(It::String))
    }

    fn lex_raw_quote(&mut self) -> Result<Item, State> {
        loop {
            match self.next() {
                None => return Ok(self.errorf("unterminated raw quoted string".into())),
                Some('`') => break,
                _ => {}
            }
        }
        Ok(self.this_item(It::RawString))
    }
}
