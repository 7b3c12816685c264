//! Windows printers through the spooler (`spool://NAME`): a receipt printer installed in
//! Windows with its maker's driver (often the only way a USB printer shows up there) takes
//! one print job of datatype `RAW`, so the spooler passes our ESC/POS bytes through unchanged,
//! with no dialog and no page layout. The spooler gives no status answer back: a job is
//! written the way a device file is, without asking first.

use std::ffi::c_void;
use std::io;
use std::ptr;

type Handle = *mut c_void;

/// `DOC_INFO_1W`: the job's name in the queue, no output file, and the datatype.
#[repr(C)]
struct DocInfo1 {
    doc_name: *const u16,
    output_file: *const u16,
    datatype: *const u16,
}

#[link(name = "winspool")]
extern "system" {
    fn OpenPrinterW(name: *const u16, printer: *mut Handle, defaults: *const c_void) -> i32;
    fn ClosePrinter(printer: Handle) -> i32;
    fn StartDocPrinterW(printer: Handle, level: u32, info: *const DocInfo1) -> u32;
    fn EndDocPrinter(printer: Handle) -> i32;
    fn StartPagePrinter(printer: Handle) -> i32;
    fn EndPagePrinter(printer: Handle) -> i32;
    fn WritePrinter(printer: Handle, bytes: *const c_void, count: u32, written: *mut u32) -> i32;
}

/// An open printer of the spooler; closed when dropped.
pub(crate) struct SpoolPrinter {
    handle: Handle,
}

// SAFETY: a printer handle is not tied to the thread that opened it; the transport opens it,
// uses it and drops it on one worker thread anyway.
unsafe impl Send for SpoolPrinter {}

impl SpoolPrinter {
    /// Opens the printer Windows knows by `name` (fails with the system's error, e.g.
    /// `ERROR_INVALID_PRINTER_NAME`, when there is none).
    pub(crate) fn open(name: &str) -> io::Result<SpoolPrinter> {
        let name = wide(name);
        let mut handle: Handle = ptr::null_mut();
        // SAFETY: a NUL-terminated UTF-16 name, a writable handle, no defaults.
        let ok = unsafe { OpenPrinterW(name.as_ptr(), &mut handle, ptr::null()) };
        if ok == 0 || handle.is_null() {
            return Err(io::Error::last_os_error());
        }
        Ok(SpoolPrinter { handle })
    }

    /// Sends `bytes` as one raw job: started, written whole, ended; a job that fails half-way
    /// is ended anyway so the queue is not left with an open job.
    pub(crate) fn write_job(&mut self, bytes: &[u8]) -> io::Result<()> {
        let doc_name = wide("Relais");
        let datatype = wide("RAW");
        let info = DocInfo1 {
            doc_name: doc_name.as_ptr(),
            output_file: ptr::null(),
            datatype: datatype.as_ptr(),
        };
        // SAFETY: `info` and the strings it points to live until the call returns.
        if unsafe { StartDocPrinterW(self.handle, 1, &info) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let written = self.write_page(bytes);
        // SAFETY: a job was started on this handle just above.
        let ended = unsafe { EndDocPrinter(self.handle) } != 0;
        written?;
        match ended {
            true => Ok(()),
            false => Err(io::Error::last_os_error()),
        }
    }

    fn write_page(&mut self, bytes: &[u8]) -> io::Result<()> {
        // SAFETY: the handle is open with a job started (write_job).
        if unsafe { StartPagePrinter(self.handle) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut rest = bytes;
        while !rest.is_empty() {
            let count = u32::try_from(rest.len()).unwrap_or(u32::MAX);
            let mut written = 0u32;
            // SAFETY: `count` bytes are readable at `rest`; `written` is writable.
            let ok =
                unsafe { WritePrinter(self.handle, rest.as_ptr().cast(), count, &mut written) };
            if ok == 0 || written == 0 {
                return Err(io::Error::last_os_error());
            }
            rest = &rest[written as usize..];
        }
        // SAFETY: a page was started above.
        match unsafe { EndPagePrinter(self.handle) } {
            0 => Err(io::Error::last_os_error()),
            _ => Ok(()),
        }
    }
}

impl Drop for SpoolPrinter {
    fn drop(&mut self) {
        // SAFETY: the handle came from OpenPrinterW and is closed once.
        unsafe { ClosePrinter(self.handle) };
    }
}

fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(Some(0)).collect()
}
