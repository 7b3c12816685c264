//! What a Windows `.exe` says about itself in its PE headers, read without any tool: the
//! machine, the subsystem (console or window) and the resource types it carries. The app's
//! window cannot be started under Wine (no WebView2), so this is what can be checked of it.

use std::path::Path;

pub const MACHINE_X86_64: u16 = 0x8664;
pub const SUBSYSTEM_GUI: u16 = 2;
pub const SUBSYSTEM_CONSOLE: u16 = 3;
pub const RT_ICON: u32 = 3;
pub const RT_GROUP_ICON: u32 = 14;
pub const RT_MANIFEST: u32 = 24;

#[derive(Debug, PartialEq)]
pub struct PeFacts {
    pub machine: u16,
    pub pe32_plus: bool,
    pub subsystem: u16,
    /// The numbered resource types at the root of the resource tree (3 icon, 14 icon group…).
    pub resource_types: Vec<u32>,
}

pub fn read(path: &Path) -> Result<PeFacts, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, String> {
    bytes
        .get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("truncated at {at}"))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, String> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("truncated at {at}"))
}

pub fn parse(bytes: &[u8]) -> Result<PeFacts, String> {
    if bytes.get(0..2) != Some(b"MZ") {
        return Err("no MZ header".into());
    }
    let pe = u32_at(bytes, 0x3c)? as usize;
    if bytes.get(pe..pe + 4) != Some(b"PE\0\0") {
        return Err("no PE signature".into());
    }
    let coff = pe + 4;
    let machine = u16_at(bytes, coff)?;
    let sections = u16_at(bytes, coff + 2)? as usize;
    let optional_size = u16_at(bytes, coff + 16)? as usize;
    let optional = coff + 20;
    let pe32_plus = u16_at(bytes, optional)? == 0x20b;
    let subsystem = u16_at(bytes, optional + 68)?;
    // Data directory 2 (resources): 112 bytes into a PE32+ optional header, 96 in a PE32.
    let directories = optional + if pe32_plus { 112 } else { 96 };
    let resource_rva = u32_at(bytes, directories + 2 * 8)?;
    let section_table = optional + optional_size;
    let mut resource_types = Vec::new();
    if resource_rva != 0 {
        let root = file_offset(bytes, section_table, sections, resource_rva)?;
        let named = u16_at(bytes, root + 12)? as usize;
        let numbered = u16_at(bytes, root + 14)? as usize;
        for entry in named..named + numbered {
            resource_types.push(u32_at(bytes, root + 16 + entry * 8)?);
        }
    }
    Ok(PeFacts {
        machine,
        pe32_plus,
        subsystem,
        resource_types,
    })
}

/// Where the byte at `rva` lies in the file, from the section table.
fn file_offset(bytes: &[u8], table: usize, sections: usize, rva: u32) -> Result<usize, String> {
    for index in 0..sections {
        let header = table + index * 40;
        let virtual_size = u32_at(bytes, header + 8)?;
        let virtual_address = u32_at(bytes, header + 12)?;
        let raw_size = u32_at(bytes, header + 16)?;
        let raw_pointer = u32_at(bytes, header + 20)?;
        let size = virtual_size.max(raw_size);
        if rva >= virtual_address && rva < virtual_address + size {
            return Ok((rva - virtual_address + raw_pointer) as usize);
        }
    }
    Err(format!("RVA {rva:#x} is in no section"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PE32+ image: headers, one section holding a resource root with the given
    /// numbered types.
    fn image(machine: u16, subsystem: u16, types: &[u32]) -> Vec<u8> {
        let mut bytes = vec![0u8; 0x400];
        bytes[0..2].copy_from_slice(b"MZ");
        bytes[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        bytes[0x80..0x84].copy_from_slice(b"PE\0\0");
        let coff = 0x84;
        bytes[coff..coff + 2].copy_from_slice(&machine.to_le_bytes());
        bytes[coff + 2..coff + 4].copy_from_slice(&1u16.to_le_bytes());
        bytes[coff + 16..coff + 18].copy_from_slice(&240u16.to_le_bytes());
        let optional = coff + 20;
        bytes[optional..optional + 2].copy_from_slice(&0x20bu16.to_le_bytes());
        bytes[optional + 68..optional + 70].copy_from_slice(&subsystem.to_le_bytes());
        let resources = optional + 112 + 16;
        bytes[resources..resources + 4].copy_from_slice(&0x1000u32.to_le_bytes());
        let section = optional + 240;
        bytes[section + 8..section + 12].copy_from_slice(&0x100u32.to_le_bytes());
        bytes[section + 12..section + 16].copy_from_slice(&0x1000u32.to_le_bytes());
        bytes[section + 16..section + 20].copy_from_slice(&0x100u32.to_le_bytes());
        bytes[section + 20..section + 24].copy_from_slice(&0x300u32.to_le_bytes());
        let root = 0x300;
        bytes[root + 14..root + 16].copy_from_slice(&(types.len() as u16).to_le_bytes());
        for (index, kind) in types.iter().enumerate() {
            let at = root + 16 + index * 8;
            bytes[at..at + 4].copy_from_slice(&kind.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn the_headers_are_read_as_written() {
        let cases = [
            (MACHINE_X86_64, SUBSYSTEM_GUI, vec![RT_ICON, RT_GROUP_ICON]),
            (MACHINE_X86_64, SUBSYSTEM_CONSOLE, vec![RT_MANIFEST]),
            (0x14c, SUBSYSTEM_GUI, vec![]),
        ];
        for (machine, subsystem, types) in cases {
            let facts = parse(&image(machine, subsystem, &types)).expect("parses");
            assert_eq!(
                facts,
                PeFacts {
                    machine,
                    pe32_plus: true,
                    subsystem,
                    resource_types: types.clone()
                }
            );
        }
        assert!(parse(b"not an exe").is_err());
    }
}
