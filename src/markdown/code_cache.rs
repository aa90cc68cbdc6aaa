//! Highlighted code remembered between renders, so that an unchanged code
//! block is never highlighted twice: syntect is most of a page's cost.
//!
//! Two kinds of store sit behind one trait:
//! - `CodeMemo`, in memory, one entry per code block: the dev server keeps
//!   one for as long as it runs, so a rebuild highlights only the blocks
//!   that changed;
//! - a store on disk (`pipeline::cache`), one entry per page's blocks taken
//!   together: `lectern build`'s persistent cache.
//!
//! Keys are 128-bit hashes of what highlighting reads — the code, the
//! fence's info (language and attributes) — and of lectern's version, so an
//! entry is the same bytes `highlight::highlight` would give.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::fence::FenceInfo;

/// A content hash: the same input gives the same key in every run of the
/// same lectern, and two inputs the same key with negligible odds.
pub type CodeKey = u128;

/// Changes whenever highlighting's output may change without a change of
/// lectern's version (the cache of a development build).
const FORMAT: u32 = 1;

/// Where highlighted code is kept. Every method has a default that keeps
/// nothing, so a store implements the granularity it keeps.
pub trait CodeStore: Sync {
    /// One block's HTML.
    fn block(&self, _key: CodeKey) -> Option<Arc<str>> {
        None
    }
    fn keep_block(&self, _key: CodeKey, _html: &Arc<str>) {}
    /// The HTML of all the blocks of one page, in order.
    fn page(&self, _key: CodeKey) -> Option<Vec<String>> {
        None
    }
    fn keep_page(&self, _key: CodeKey, _html: &[Arc<str>]) {}
}

/// Keeps nothing: every block is highlighted.
pub struct NoStore;
impl CodeStore for NoStore {}

/// A stable 128-bit hash of what `feed` writes (two independent 64-bit
/// halves), mixed with lectern's version and the cache format.
pub fn content_key(feed: impl Fn(&mut dyn Hasher)) -> CodeKey {
    let half = |seed: u64| {
        let mut h = foldhash::quality::FixedState::with_seed(seed).build_hasher();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        FORMAT.hash(&mut h);
        feed(&mut h);
        h.finish()
    };
    (u128::from(half(0x6c65_6374_6572_6e31)) << 64) | u128::from(half(0x9e37_79b9_7f4a_7c15))
}

/// The key of one code block.
pub fn block_key(code: &str, fence: &FenceInfo) -> CodeKey {
    content_key(|h| {
        let mut h = HashWrite(h);
        code.hash(&mut h);
        fence.hash(&mut h);
    })
}

/// The key of a page's blocks taken together, from their own keys.
pub fn page_key(blocks: &[CodeKey]) -> CodeKey {
    content_key(|h| {
        let mut h = HashWrite(h);
        "page".hash(&mut h);
        blocks.hash(&mut h);
    })
}

/// Lets `Hash::hash` (which wants a sized `Hasher`) write into a `dyn Hasher`.
pub struct HashWrite<'a>(pub &'a mut dyn Hasher);
impl Hasher for HashWrite<'_> {
    fn finish(&self) -> u64 {
        self.0.finish()
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes)
    }
}

/// One entry per code block, in memory, up to a size: past it the memo is
/// emptied and starts again (the dev server of a very large course then
/// highlights again what it dropped, and never holds more than the bound).
pub struct CodeMemo {
    entries: Mutex<HashMap<CodeKey, Arc<str>>>,
    bytes: AtomicUsize,
    limit: usize,
}

/// The memo's bound by default: the highlighted code of a few thousand pages.
pub const MEMO_LIMIT: usize = 256 << 20;

impl Default for CodeMemo {
    fn default() -> Self {
        CodeMemo::with_limit(MEMO_LIMIT)
    }
}

impl CodeMemo {
    pub fn with_limit(limit: usize) -> Self {
        CodeMemo {
            entries: Mutex::new(HashMap::new()),
            bytes: AtomicUsize::new(0),
            limit,
        }
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CodeKey, Arc<str>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl CodeStore for CodeMemo {
    fn block(&self, key: CodeKey) -> Option<Arc<str>> {
        self.lock().get(&key).cloned()
    }

    fn keep_block(&self, key: CodeKey, html: &Arc<str>) {
        let mut entries = self.lock();
        if self.bytes.load(Ordering::Relaxed) + html.len() > self.limit {
            entries.clear();
            self.bytes.store(0, Ordering::Relaxed);
        }
        if entries.insert(key, html.clone()).is_none() {
            self.bytes.fetch_add(html.len(), Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_code_and_the_fence() {
        let rust = FenceInfo::parse("rust");
        let a = block_key("fn main() {}", &rust);
        assert_eq!(a, block_key("fn main() {}", &FenceInfo::parse("rust")));
        assert_ne!(a, block_key("fn main() { }", &rust));
        assert_ne!(
            a,
            block_key("fn main() {}", &FenceInfo::parse("rust,linenos"))
        );
        assert_ne!(page_key(&[a]), page_key(&[a, a]));
    }

    #[test]
    fn the_memo_stays_within_its_bound() {
        let memo = CodeMemo::with_limit(10);
        memo.keep_block(1, &Arc::from("123456"));
        memo.keep_block(2, &Arc::from("1234"));
        assert_eq!(memo.len(), 2);
        memo.keep_block(3, &Arc::from("12"));
        assert_eq!(memo.len(), 1, "emptied when the bound is passed");
        assert_eq!(memo.block(3).as_deref(), Some("12"));
    }
}
