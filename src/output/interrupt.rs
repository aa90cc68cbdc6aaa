//! Ctrl-C and `kill` during a build: the staging folder is removed before
//! the process exits, so an interrupted build leaves nothing behind (a
//! SIGKILL cannot be caught; the next build removes what it left, see
//! `remove_stale_staging`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Staging folders being filled by this process. Global because a signal
/// arrives for the process, not for a build.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set when a signal arrived: nothing more is written.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Whether the process is being stopped by a signal.
pub fn stopping() -> bool {
    STOPPING.load(Ordering::Relaxed)
}

/// Held while an output folder is swapped: a signal then waits for the swap
/// to finish instead of removing a folder half-way through being renamed.
static SWAP: Mutex<()> = Mutex::new(());

/// Runs `f` (the swap of the output folders) without interruption.
pub fn uninterrupted<T>(f: impl FnOnce() -> T) -> T {
    let _guard = SWAP.lock();
    f()
}

pub fn register(dir: &Path) {
    if let Ok(mut active) = ACTIVE.lock() {
        active.push(dir.to_path_buf());
    }
}

pub fn unregister(dir: &Path) {
    if let Ok(mut active) = ACTIVE.lock() {
        active.retain(|d| d != dir);
    }
}

/// Installs the handler for SIGINT, SIGTERM and SIGHUP: remove every
/// registered staging folder, then exit with 130 (the shell's code for an
/// interrupted command). The binary calls it once; library users choose.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let _swap = SWAP.lock();
        let dirs: Vec<PathBuf> = ACTIVE.lock().map(|a| a.clone()).unwrap_or_default();
        let building = !dirs.is_empty();
        STOPPING.store(true, Ordering::SeqCst);
        for dir in dirs {
            // Worker threads may still be writing into it (and recreating
            // its folders): remove it until it stays gone, then exit at once.
            for _ in 0..200 {
                let _ = std::fs::remove_dir_all(&dir);
                if !dir.exists() {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    if !dir.exists() {
                        break;
                    }
                }
            }
        }
        if building {
            eprintln!("interrupted; the output folder was left as it was");
        }
        std::process::exit(130);
    });
}
