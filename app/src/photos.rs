//! Photos: taken with the camera (or picked), made small enough for a mobile network, named by
//! their SHA-256 and stored on the device before anything else happens; then uploaded in parts
//! that resume where the server stopped, and attached to the visit only once the server holds the
//! verified blob (API.md "Sync": `PUT/HEAD /blobs/{sha256}`, `photo.attach`).
//!
//! Why the order matters: peers' apps report "photo accepted" before the bytes arrived, and the
//! photo is then missing in the file. Here `photo.attach` enters the outbox only after the server
//! answered 201 for the blob, and the photo counts as delivered only when the server accepted the
//! attach (it decoded the image then).

use js_sys::{Promise, Uint8Array};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

use shared::sync::PhotoAttach;

use crate::api;
use crate::error::AppError;
use crate::store::{self, Action, EntityStore, LocalPhoto, LocalVisit, PhotoState, WriteTx};
use crate::{strings, util};

/// Longest edge after downscaling: enough to read a label or a meter at arm's length, and about
/// 300-600 KB as JPEG instead of the camera's 3-8 MB.
const MAX_EDGE: f64 = 2048.0;
const JPEG_QUALITY: f64 = 0.82;
/// Upload part size: small enough that a part gets through a poor mobile connection, and a
/// broken upload loses at most this much.
pub const PART_BYTES: f64 = 256.0 * 1024.0;
const POSITION_TIMEOUT_MS: i32 = 4_000;

/// Decodes the picture (honouring its EXIF orientation), scales it to at most `MAX_EDGE` and
/// encodes it as JPEG. Re-encoding also drops the camera's EXIF block (with its GPS tag): the
/// position travels as data the inspector can see.
async fn downscale(file: &Blob) -> Result<(Blob, u32, u32), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .dyn_into()?;
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (MAX_EDGE / w.max(h)).min(1.0);
    let (tw, th) = (
        (w * scale).round().max(1.0) as u32,
        (h * scale).round().max(1.0) as u32,
    );
    let document = window.document().ok_or("no document")?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(tw);
    canvas.set_height(th);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .dyn_into()?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw.into(), th.into())?;
    bitmap.close();
    let promise = Promise::new(&mut |resolve, _| {
        let _ = canvas.to_blob_with_type_and_encoder_options(
            &resolve,
            "image/jpeg",
            &JsValue::from_f64(JPEG_QUALITY),
        );
    });
    let blob: Blob = JsFuture::from(promise).await?.dyn_into()?;
    Ok((blob, tw, th))
}

/// Lowercase hex SHA-256 of the blob's bytes (the browser's WebCrypto: no hash code in the bundle).
async fn sha256_hex(blob: &Blob) -> Result<String, JsValue> {
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    let crypto = web_sys::window().ok_or("no window")?.crypto()?;
    let digest = JsFuture::from(
        crypto
            .subtle()
            .digest_with_str_and_buffer_source("SHA-256", &buffer.into())?,
    )
    .await?;
    let bytes = Uint8Array::new(&digest).to_vec();
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Takes a picture into the device's store: downscaled, hashed, and committed (photo record and
/// bytes in one strict transaction) before this returns. Nothing goes to the server here.
pub async fn capture(
    file: Blob,
    visit_id: Uuid,
    finding_id: Option<Uuid>,
) -> Result<LocalPhoto, AppError> {
    let captured_at = util::now_rfc3339();
    let position = util::position(POSITION_TIMEOUT_MS).await;
    let (jpeg, width, height) = downscale(&file).await.map_err(AppError::from)?;
    let sha256 = sha256_hex(&jpeg).await.map_err(AppError::from)?;
    let id = util::new_uuid().ok_or_else(|| AppError::Storage("no crypto".into()))?;
    let photo = LocalPhoto {
        id,
        visit_id,
        finding_id,
        sha256: sha256.clone(),
        size: jpeg.size() as u64,
        width,
        height,
        captured_at,
        position,
        state: PhotoState::Saved,
        unsent: 0,
        problem: None,
        removed: false,
    };
    let tx = WriteTx::begin(&[store::PHOTOS, store::PHOTO_BLOBS, store::VISITS], true).await?;
    let visit_key = store::key(&visit_id);
    let Some(mut visit) = tx.get::<LocalVisit>(store::VISITS, &visit_key).await? else {
        tx.abort();
        return Err(AppError::Storage("visit not on device".into()));
    };
    visit.touched = true;
    tx.put(store::VISITS, &visit_key, &visit)?;
    tx.put_raw(store::PHOTO_BLOBS, &JsValue::from_str(&sha256), &jpeg)?;
    tx.put(store::PHOTOS, &store::key(&id), &photo)?;
    tx.commit().await?;
    Ok(photo)
}

/// What one photo's upload came to.
enum Upload {
    /// The server holds the verified blob.
    Stored,
    /// The server refused it for good (too large, bytes do not match the name): kept as a
    /// problem on the device, never retried silently.
    Refused(String),
}

/// How far the photo queue of one sync run is, in photos and in bytes (what the progress bars
/// show): the photo being sent with its bytes on the server, and the queue as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UploadProgress {
    pub done: usize,
    pub total: usize,
    /// The photo being sent now, with how many of its bytes the server holds, and its size.
    pub current: Option<(Uuid, u64, u64)>,
    /// Bytes of the queue the server holds (finished photos and the current one's stored part).
    pub sent_bytes: u64,
    pub total_bytes: u64,
}

/// Uploads every photo that is not on the server yet, then puts its `photo.attach` in the outbox.
/// `progress` is told after every stored part. A network failure ends the run (the loop backs off
/// and the next run resumes from the server's `Upload-Offset`); a refusal is kept on the photo.
pub async fn upload_pending(
    token: &str,
    progress: impl Fn(UploadProgress),
) -> Result<usize, AppError> {
    let waiting: Vec<LocalPhoto> = store::all::<LocalPhoto>(store::PHOTOS)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|p| {
            matches!(p.state, PhotoState::Saved | PhotoState::Queued) && p.problem.is_none()
        })
        .collect();
    let total = waiting.len();
    let total_bytes: u64 = waiting.iter().map(|p| p.size).sum();
    let mut finished_bytes = 0;
    for (done, photo) in waiting.into_iter().enumerate() {
        let report = |stored: u64| {
            progress(UploadProgress {
                done,
                total,
                current: Some((photo.id, stored, photo.size)),
                sent_bytes: finished_bytes + stored,
                total_bytes,
            })
        };
        report(0);
        if photo.state == PhotoState::Saved {
            set_state(photo.id, |p| p.state = PhotoState::Queued).await;
        }
        let Ok(Some(blob)) = store::photo_blob(&photo.sha256).await else {
            // The record survived but its bytes did not (storage cleared under the app).
            set_state(photo.id, |p| {
                p.problem = Some(strings::PHOTO_BYTES_MISSING.to_owned())
            })
            .await;
            continue;
        };
        let outcome = upload(token, &photo.sha256, &blob, &report).await?;
        finished_bytes += photo.size;
        match outcome {
            Upload::Stored => attach(&photo).await.map_err(|_| AppError::Network)?,
            Upload::Refused(message) => {
                set_state(photo.id, |p| p.problem = Some(message)).await;
            }
        }
    }
    progress(UploadProgress {
        done: total,
        total,
        current: None,
        sent_bytes: total_bytes,
        total_bytes,
    });
    Ok(total)
}

fn header_u64(response: &web_sys::Response, name: &str) -> Option<f64> {
    response
        .headers()
        .get(name)
        .ok()
        .flatten()
        .and_then(|v| v.parse::<u64>().ok())
        .map(|v| v as f64)
}

/// Sends the blob in `PART_BYTES` parts, starting from what the server already holds; `stored`
/// is told how many bytes the server holds after each part.
async fn upload(
    token: &str,
    sha256: &str,
    blob: &Blob,
    stored: &dyn Fn(u64),
) -> Result<Upload, AppError> {
    let path = format!("/api/v1/blobs/{sha256}");
    let size = blob.size();
    let head = api::raw("HEAD", &path, None, &[], Some(token)).await?;
    let mut offset = match head.status() {
        200 => return Ok(Upload::Stored),
        404 => header_u64(&head, "upload-offset").unwrap_or(0.0),
        _ => return Err(api::failure(head).await),
    };
    // A hash mismatch discards the server's partial copy (it may hold bytes damaged in transit
    // or by a crash): start over once; a second mismatch means our own bytes are wrong.
    let mut restarted = false;
    loop {
        stored(offset as u64);
        let end = (offset + PART_BYTES).min(size);
        let part = blob
            .slice_with_f64_and_f64(offset, end)
            .map_err(|_| AppError::Network)?;
        let range = format!("bytes {}-{}/{}", offset as u64, end as u64 - 1, size as u64);
        let headers = [
            ("Content-Type", "application/octet-stream"),
            ("Content-Range", range.as_str()),
        ];
        let response = api::raw("PUT", &path, Some(&part), &headers, Some(token)).await?;
        match response.status() {
            201 => {
                stored(size as u64);
                return Ok(Upload::Stored);
            }
            // 202: part stored, more to come; 409: the server holds a different amount (another
            // attempt got through): both say where to go on.
            202 | 409 => match header_u64(&response, "upload-offset") {
                Some(next) if next < size => offset = next,
                _ => return Err(AppError::Network),
            },
            422 if !restarted => {
                restarted = true;
                offset = 0.0;
            }
            413 | 422 => {
                let failure = api::failure(response).await;
                return Ok(Upload::Refused(failure.user_message()));
            }
            _ => return Err(api::failure(response).await),
        }
    }
}

/// The blob is on the server: the photo is `Uploaded` and its `photo.attach` joins the outbox,
/// in one strict transaction.
async fn attach(photo: &LocalPhoto) -> Result<(), AppError> {
    let data = PhotoAttach {
        visit_id: photo.visit_id,
        finding_id: photo.finding_id,
        sha256: photo.sha256.clone(),
        captured_at: chrono::DateTime::parse_from_rfc3339(&photo.captured_at).ok(),
        position: photo.position,
    };
    let action = Action {
        kind: shared::sync::MutationKind::PhotoAttach,
        entity: EntityStore::Photo,
        entity_id: photo.id,
        visit_id: photo.visit_id,
        data: serde_json::to_value(&data).unwrap_or_default(),
    };
    store::record(action, move |stored: Option<LocalPhoto>| {
        let mut p = stored.ok_or_else(|| AppError::Storage("photo not on device".into()))?;
        if p.state == PhotoState::Uploaded || p.state == PhotoState::Confirmed {
            return Err(AppError::Storage("photo already attached".into()));
        }
        p.state = PhotoState::Uploaded;
        p.unsent += 1;
        Ok((p, None, 0))
    })
    .await
    .map(|_| ())
}

async fn set_state(id: Uuid, change: impl FnOnce(&mut LocalPhoto)) {
    let Ok(tx) = WriteTx::begin(&[store::PHOTOS], true).await else {
        return;
    };
    let key = store::key(&id);
    if let Ok(Some(mut photo)) = tx.get::<LocalPhoto>(store::PHOTOS, &key).await {
        change(&mut photo);
        if tx.put(store::PHOTOS, &key, &photo).is_ok() {
            let _ = tx.commit().await;
        }
    }
}

/// Removes a photo the server refused for good (too large, bytes damaged) from the device, at the
/// inspector's explicit request. Its bytes go too unless another photo record shares them.
pub async fn discard_refused(id: Uuid) -> Result<(), AppError> {
    let tx = WriteTx::begin(&[store::PHOTOS, store::PHOTO_BLOBS], true).await?;
    let key = store::key(&id);
    let photo = match tx.get::<LocalPhoto>(store::PHOTOS, &key).await? {
        Some(p) if p.problem.is_some() && p.unsent == 0 => p,
        _ => {
            tx.abort();
            return Err(AppError::Storage("not a refused photo".into()));
        }
    };
    let others: Vec<LocalPhoto> = tx.get_all(store::PHOTOS).await?;
    tx.delete(store::PHOTOS, &key)?;
    if !others
        .iter()
        .any(|p| p.id != id && p.sha256 == photo.sha256)
    {
        tx.delete(store::PHOTO_BLOBS, &JsValue::from_str(&photo.sha256))?;
    }
    tx.commit().await
}

/// An object URL showing the photo from the device's store; the caller revokes it.
pub async fn object_url(sha256: &str) -> Option<String> {
    let blob = store::photo_blob(sha256).await.ok()??;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// The first file of a file input, as a `Blob`.
pub fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<Blob> {
    let files = input.files()?;
    let file = files.get(0)?;
    Some(file.into())
}
