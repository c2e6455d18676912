//! Hashing while bytes stream through, so that neither a bundle nor any entry of it but the
//! manifest is held in memory whole: memory stays bounded however big the case is.

use std::io::{self, Read, Seek, SeekFrom, Write};

use sha2::{Digest, Sha256};

/// Passes every byte on to `inner`, hashing and counting it.
pub(super) struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> HashingWriter<W> {
    pub(super) fn new(inner: W) -> HashingWriter<W> {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            written: 0,
        }
    }

    /// Lower-case hex SHA-256 of everything written so far.
    pub(super) fn hex_so_far(&self) -> String {
        hex::encode(self.hasher.clone().finalize())
    }

    pub(super) fn written(&self) -> u64 {
        self.written
    }

    /// The inner writer, the hex SHA-256 of everything written and its length.
    pub(super) fn finish(self) -> (W, String, u64) {
        (
            self.inner,
            hex::encode(self.hasher.finalize()),
            self.written,
        )
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Hashes and counts what is read through it.
pub(super) struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
}

impl<R: Read> HashingReader<R> {
    pub(super) fn new(inner: R) -> HashingReader<R> {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            read: 0,
        }
    }

    /// The hex SHA-256 of everything read and its length.
    pub(super) fn finish(self) -> (String, u64) {
        (hex::encode(self.hasher.finalize()), self.read)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// The hex SHA-256 of the first `prefix` bytes of `file` and of the whole of it, read once from
/// the start in chunks.
pub(super) fn prefix_and_whole<F: Read + Seek>(
    file: &mut F,
    prefix: u64,
) -> io::Result<(String, String)> {
    file.seek(SeekFrom::Start(0))?;
    let mut hasher = Sha256::new();
    let copied = io::copy(&mut file.by_ref().take(prefix), &mut HashInto(&mut hasher))?;
    if copied != prefix {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("the file ended after {copied} of {prefix} bytes"),
        ));
    }
    let at_prefix = hex::encode(hasher.clone().finalize());
    io::copy(file, &mut HashInto(&mut hasher))?;
    Ok((at_prefix, hex::encode(hasher.finalize())))
}

/// A sink that only hashes.
struct HashInto<'a>(&'a mut Sha256);

impl Write for HashInto<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_hashes_equal_the_hashes_of_the_whole_bytes() {
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = hex::encode(Sha256::digest(&bytes));
        let mut w = HashingWriter::new(Vec::new());
        for chunk in bytes.chunks(4096) {
            w.write_all(chunk).unwrap();
        }
        assert_eq!(
            w.hex_so_far(),
            whole,
            "the running hash covers every byte written"
        );
        let (inner, sha, n) = w.finish();
        assert_eq!(
            (inner.as_slice(), sha.as_str(), n),
            (bytes.as_slice(), whole.as_str(), bytes.len() as u64),
            "the bytes pass through unchanged, hashed and counted"
        );
        let mut r = HashingReader::new(bytes.as_slice());
        io::copy(&mut r, &mut io::sink()).unwrap();
        assert_eq!(
            r.finish(),
            (whole.clone(), bytes.len() as u64),
            "reading hashes and counts the same"
        );
        let (prefix, all) = prefix_and_whole(&mut io::Cursor::new(&bytes), 1000).unwrap();
        assert_eq!(
            (prefix, all),
            (hex::encode(Sha256::digest(&bytes[..1000])), whole),
            "one pass gives the prefix's hash and the whole file's"
        );
        assert!(
            prefix_and_whole(&mut io::Cursor::new(&bytes[..10]), 1000).is_err(),
            "a file shorter than the prefix is an error, not a hash of less"
        );
    }
}
