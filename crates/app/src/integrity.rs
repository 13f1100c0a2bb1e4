//! Rechecking what was published: every file of every published version, read back byte for
//! byte and hashed again, must give the content hash recorded when it was published. A file
//! changed, removed or added in the database afterwards is named.

use crate::error::AppError;
use crate::ports::Governance;
use crate::publication::{PublicationMeta, content_hash};

/// A published version whose files no longer match its content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tampered {
    /// `halton CED 2012/13 Q2 version 1`.
    pub publication: String,
    pub why: String,
}

/// Reads back every file of every publication and rehashes them: the number of publications
/// checked, or the first whose files do not give its content hash.
pub async fn check_published_files<G: Governance>(
    store: &G,
    publications: &[PublicationMeta],
) -> Result<Result<usize, Tampered>, AppError> {
    for p in publications {
        let what = format!(
            "{} {} {} version {}",
            p.council, p.unit, p.quarter, p.version
        );
        let mut files = Vec::with_capacity(p.files.len());
        for name in &p.files {
            match store
                .published_file(&p.council, &p.unit, p.quarter, p.version, name)
                .await?
            {
                Some(f) => files.push(f),
                None => {
                    return Ok(Err(Tampered {
                        publication: what,
                        why: format!("its file {name} is missing"),
                    }));
                }
            }
        }
        let again = content_hash(&files);
        if again != p.content_hash {
            return Ok(Err(Tampered {
                publication: what,
                why: format!(
                    "its files hash to {again}, not the {} recorded when it was published: a file was changed, added or removed since",
                    p.content_hash
                ),
            }));
        }
    }
    Ok(Ok(publications.len()))
}
