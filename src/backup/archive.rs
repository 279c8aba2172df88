//! The backup file: a plain tar (ustar/GNU, readable by any `tar`), written entry by entry
//! while each entry's SHA-256 is worked out, and read back the same way. Reading checks
//! every path (relative, no `..`, only the names a backup holds) before anything is
//! written, and extracts only what the caller asks for; a `.gz` entry is extracted
//! decompressed (its checksum is of the bytes as stored).

use super::{FileEntry, Manifest, MANIFEST_ENTRY, PHOTOS_PREFIX, POSTGRES_ENTRY, SQLITE_ENTRY};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

/// The largest manifest read (a manifest lists every photo: ~150 bytes each).
const MAX_MANIFEST_BYTES: u64 = 256 << 20;

/// A reader that hashes what passes through it and reports each chunk's size.
struct Hashing<'a, R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
    progress: &'a mut dyn FnMut(u64),
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// A backup file being written.
pub struct Writer {
    tar: tar::Builder<BufWriter<std::fs::File>>,
    files: Vec<FileEntry>,
    mtime: u64,
}

impl Writer {
    /// A new file (owner-only) at `path`, which must not exist.
    pub fn create(path: &Path, mtime: u64) -> io::Result<Writer> {
        let mut options = crate::config::private_file_options();
        options.truncate(false).create_new(true);
        let file = options.open(path)?;
        let mut tar = tar::Builder::new(BufWriter::with_capacity(1 << 20, file));
        tar.mode(tar::HeaderMode::Deterministic);
        Ok(Writer {
            tar,
            files: Vec::new(),
            mtime,
        })
    }

    fn header(&self, bytes: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes);
        h.set_mode(0o600);
        h.set_mtime(self.mtime);
        h.set_entry_type(tar::EntryType::Regular);
        h
    }

    /// Add the file at `source` as `name`: exactly the `bytes` it had when listed (a file
    /// that shrank meanwhile is an error, not a corrupt archive).
    pub fn add_file(
        &mut self,
        name: &str,
        source: &Path,
        bytes: u64,
        progress: &mut dyn FnMut(u64),
    ) -> io::Result<()> {
        let file = std::fs::File::open(source)?;
        let mut reader = Hashing {
            inner: file.take(bytes),
            hash: Sha256::new(),
            bytes: 0,
            progress,
        };
        let mut header = self.header(bytes);
        self.tar.append_data(&mut header, name, &mut reader)?;
        if reader.bytes != bytes {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{} changed while it was being copied", source.display()),
            ));
        }
        self.files.push(FileEntry {
            path: name.to_string(),
            bytes,
            sha256: hex::encode(reader.hash.finalize()),
        });
        Ok(())
    }

    /// The entries added so far (for the manifest).
    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// Add the manifest as the last entry, finish the archive and flush it to disk.
    pub fn finish(mut self, manifest: &Manifest) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(manifest).map_err(io::Error::other)?;
        let mut header = self.header(json.len() as u64);
        self.tar
            .append_data(&mut header, MANIFEST_ENTRY, json.as_slice())?;
        let file = self
            .tar
            .into_inner()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()
    }
}

/// What reading a backup file found.
#[derive(Debug, Default)]
pub struct Unpacked {
    /// The manifest, when there was one and it could be read.
    pub manifest: Option<Manifest>,
    /// Why the manifest could not be read.
    pub manifest_error: Option<String>,
    /// Every other entry as found: path → (bytes, SHA-256), in archive order.
    pub found: Vec<FileEntry>,
    /// Where the entries asked for were written.
    pub extracted: BTreeMap<String, PathBuf>,
    /// Entries that could not be extracted (a compressed one that does not decompress);
    /// read to their end all the same, so their checksums are still compared.
    pub problems: Vec<String>,
}

/// Whether `name` is an entry a backup may hold: the database, the manifest, or a file
/// under `photos/`, with plain relative components only.
fn allowed(name: &str) -> bool {
    let path = Path::new(name);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    plain
        && (name == SQLITE_ENTRY
            || name == POSTGRES_ENTRY
            || name == MANIFEST_ENTRY
            || (name.starts_with(PHOTOS_PREFIX) && path.components().count() >= 2))
}

/// Read the backup at `file`: hash every entry, write those `extract` wants under `into`
/// (which exists), read the manifest. A damaged or truncated archive, or an entry a backup
/// cannot hold, is an error naming it.
pub fn unpack(
    file: &Path,
    into: &Path,
    extract: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<Unpacked, String> {
    let f =
        std::fs::File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let mut archive = tar::Archive::new(io::BufReader::with_capacity(1 << 20, f));
    let mut out = Unpacked::default();
    let entries = archive
        .entries()
        .map_err(|e| format!("not a tar file: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("the archive is damaged: {e}"))?;
        let name = entry
            .path()
            .map_err(|e| format!("the archive is damaged: {e}"))?
            .to_string_lossy()
            .into_owned();
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() || !allowed(&name) {
            return Err(format!("the archive holds {name:?}, which no backup holds"));
        }
        if name == MANIFEST_ENTRY {
            let mut text = Vec::new();
            (&mut entry)
                .take(MAX_MANIFEST_BYTES)
                .read_to_end(&mut text)
                .map_err(|e| format!("the archive is damaged: {e}"))?;
            match serde_json::from_slice::<Manifest>(&text) {
                Ok(m) => out.manifest = Some(m),
                Err(e) => out.manifest_error = Some(format!("manifest.json is not valid: {e}")),
            }
            continue;
        }
        let mut reader = Hashing {
            inner: &mut entry,
            hash: Sha256::new(),
            bytes: 0,
            progress: &mut *progress,
        };
        let damaged = |e: io::Error| format!("the archive is damaged at {name}: {e}");
        if extract(&name) {
            let gzipped = name.ends_with(".gz");
            let target = into.join(name.trim_end_matches(".gz"));
            if let Some(parent) = target.parent() {
                crate::config::create_private_dir(parent).map_err(|e| e.to_string())?;
            }
            let mut options = crate::config::private_file_options();
            options.truncate(false).create_new(true);
            let mut w = BufWriter::with_capacity(
                1 << 20,
                options
                    .open(&target)
                    .map_err(|e| format!("cannot write {}: {e}", target.display()))?,
            );
            let whole = if gzipped {
                let mut unzip = flate2::read::GzDecoder::new(&mut reader);
                let unzipped = io::copy(&mut unzip, &mut w);
                drop(unzip);
                // the decoder may stop before the entry's end: the rest counts too
                io::copy(&mut reader, &mut io::sink()).map_err(damaged)?;
                match unzipped {
                    Ok(_) => true,
                    Err(e) => {
                        out.problems
                            .push(format!("{name} does not decompress: {e}"));
                        false
                    }
                }
            } else {
                io::copy(&mut reader, &mut w).map_err(damaged)?;
                true
            };
            w.flush().map_err(damaged)?;
            drop(w);
            if whole {
                out.extracted.insert(name.clone(), target);
            } else {
                let _ = std::fs::remove_file(&target);
            }
        } else {
            io::copy(&mut reader, &mut io::sink()).map_err(damaged)?;
        }
        out.found.push(FileEntry {
            path: name,
            bytes: reader.bytes,
            sha256: hex::encode(reader.hash.finalize()),
        });
    }
    if out.manifest.is_none() && out.manifest_error.is_none() {
        out.manifest_error = Some("the archive has no manifest.json (is it whole?)".into());
    }
    Ok(out)
}

/// A folder of the process's own, removed with everything in it when dropped.
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// A new owner-only folder `.paani-<purpose>-<random>` inside `parent` (made if missing).
    pub fn new(parent: &Path, purpose: &str) -> io::Result<Scratch> {
        crate::config::create_private_dir(parent)?;
        let token = crate::auth::random_token();
        let path = parent.join(format!(".paani-{purpose}-{}", &token[..12]));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&path)?;
        Ok(Scratch { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_names_a_backup_holds_are_allowed() {
        for ok in [
            "paani.db.gz",
            "paani.dump",
            "manifest.json",
            "photos/12/a.jpg",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for bad in [
            "/etc/passwd",
            "../paani.db",
            "photos/../../x",
            "photos/",
            "other.txt",
            "paani.db",
            "./paani.db.gz",
        ] {
            assert!(!allowed(bad), "{bad}");
        }
    }
}
