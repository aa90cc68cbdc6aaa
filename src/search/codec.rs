//! How numbers are written into the index files: a variable-length code over
//! 92 printable ASCII characters, so postings travel as plain JavaScript
//! strings that need no escaping (no quote, no backslash) and decode with one
//! table look-up per character. search.js mirrors the decoder.
//!
//! Each character carries a base-46 digit, most significant first; the first
//! 46 characters of the alphabet end a number, the other 46 say "more
//! follows". Numbers below 46 take one character, below 2,116 two, below
//! 97,336 three. Against base-64 VLQ (32 per character) this saves about 15 %
//! on the course's postings, whose gaps are mostly small.

/// `!`, then `#` to `~` without `\`: 92 characters.
pub const ALPHABET: &[u8; 92] =
    b"!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
pub const BASE: u64 = 46;

pub fn push_uint(out: &mut String, n: u64) {
    // Most numbers in postings (gaps, counts, length steps) take one digit.
    if n < BASE {
        out.push(ALPHABET[n as usize] as char);
        return;
    }
    // Digits from the least significant, written from the end of `digits`.
    let mut digits = [0u8; 16];
    let mut start = digits.len();
    let mut n = n;
    let mut continuation = 0;
    loop {
        start -= 1;
        digits[start] = ALPHABET[((n % BASE) as u8 + continuation) as usize];
        continuation = BASE as u8;
        n /= BASE;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[start..]).expect("the alphabet is ASCII"));
}

/// Each byte's digit value (plus one; 0: not in the alphabet), for decoding
/// with one look-up per character.
const DIGITS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8 + 1;
        i += 1;
    }
    table
};

fn digit_value(b: u8) -> Option<u8> {
    DIGITS[b as usize].checked_sub(1)
}

/// Reads numbers back from an encoded string.
pub struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    pub fn new(text: &'a str) -> Self {
        Decoder {
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.at
    }

    pub fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// The next number; `Err` on a character outside the alphabet or a number cut short.
    pub fn next_uint(&mut self) -> Result<u64, String> {
        let mut n = 0u64;
        loop {
            let b = *self.bytes.get(self.at).ok_or("number cut short")?;
            self.at += 1;
            let v =
                digit_value(b).ok_or_else(|| format!("byte {b:#x} is not in the alphabet"))? as u64;
            if v < BASE {
                return Ok(n * BASE + v);
            }
            n = n * BASE + (v - BASE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_is_92_distinct_json_safe_characters() {
        let mut seen = std::collections::HashSet::new();
        for &b in ALPHABET {
            assert!(seen.insert(b));
            assert!(b != b'"' && b != b'\\' && (0x21..0x7f).contains(&b));
        }
    }

    #[test]
    fn numbers_round_trip_and_small_ones_take_one_character() {
        let values = [
            0u64,
            1,
            45,
            46,
            2115,
            2116,
            97_335,
            97_336,
            1 << 40,
            u32::MAX as u64,
        ];
        let mut s = String::new();
        for &v in &values {
            push_uint(&mut s, v);
        }
        let mut d = Decoder::new(&s);
        for &v in &values {
            assert_eq!(d.next_uint().unwrap(), v);
        }
        assert!(d.is_empty());
        let mut one = String::new();
        push_uint(&mut one, 45);
        assert_eq!(one.len(), 1);
        let mut two = String::new();
        push_uint(&mut two, 2115);
        assert_eq!(two.len(), 2);
    }

    #[test]
    fn a_number_cut_short_is_an_error() {
        let mut s = String::new();
        push_uint(&mut s, 5000);
        assert!(Decoder::new(&s[..1]).next_uint().is_err());
    }
}
