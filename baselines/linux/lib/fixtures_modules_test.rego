# Kernel module facts for the fixture hosts and the module rule tests (a
# _test.rego file, so the engine never loads it). Inputs follow
# docs/facts/kernel_modules.md.
package gcrun.linux.lib.fixtures

# kmod_cis_modules are the modules the CIS rules want disabled.
kmod_cis_modules := ["cramfs", "freevxfs", "hfs", "hfsplus", "jffs2", "squashfs", "udf", "usb_storage", "dccp", "tipc", "rds", "sctp"]

# kmod_cis_file disables them on the hardened host: for the i-th module
# (in kmod_cis_modules order) an install line at 2i+2 and a blacklist line
# at 2i+3, after a comment on line 1.
kmod_cis_file := "/etc/modprobe.d/cis.conf"

kmod_line(name, kind) := n if {
	some i, m in kmod_cis_modules
	m == name
	n := (2 * i) + {"install": 2, "blacklist": 3}[kind]
}

# kmod_available is what Debian 12's 6.1 kernel ships, as far as the rules
# care.
kmod_available := {
	"cramfs": ["/lib/modules/6.1.0-18-amd64/kernel/fs/cramfs/cramfs.ko"],
	"dccp": ["/lib/modules/6.1.0-18-amd64/kernel/net/dccp/dccp.ko"],
	"ext4": ["/lib/modules/6.1.0-18-amd64/kernel/fs/ext4/ext4.ko"],
	"freevxfs": ["/lib/modules/6.1.0-18-amd64/kernel/fs/freevxfs/freevxfs.ko"],
	"hfs": ["/lib/modules/6.1.0-18-amd64/kernel/fs/hfs/hfs.ko"],
	"hfsplus": ["/lib/modules/6.1.0-18-amd64/kernel/fs/hfsplus/hfsplus.ko"],
	"jffs2": ["/lib/modules/6.1.0-18-amd64/kernel/fs/jffs2/jffs2.ko"],
	"rds": ["/lib/modules/6.1.0-18-amd64/kernel/net/rds/rds.ko"],
	"sctp": ["/lib/modules/6.1.0-18-amd64/kernel/net/sctp/sctp.ko"],
	"squashfs": ["/lib/modules/6.1.0-18-amd64/kernel/fs/squashfs/squashfs.ko"],
	"tipc": ["/lib/modules/6.1.0-18-amd64/kernel/net/tipc/tipc.ko"],
	"udf": ["/lib/modules/6.1.0-18-amd64/kernel/fs/udf/udf.ko"],
	"usb_storage": ["/lib/modules/6.1.0-18-amd64/kernel/drivers/usb/storage/usb-storage.ko"],
	"vfat": ["/lib/modules/6.1.0-18-amd64/kernel/fs/fat/vfat.ko"],
	"vga16fb": ["/lib/modules/6.1.0-18-amd64/kernel/drivers/video/fbdev/vga16fb.ko"],
	"virtio_net": ["/lib/modules/6.1.0-18-amd64/kernel/drivers/net/virtio_net.ko"],
}

# kmod_facts(available, disabled, blacklisted, loaded) is a kernel_modules
# section: install lines (/bin/false) in kmod_cis_file for the modules of
# disabled, blacklist lines for those of blacklisted, and the loaded
# modules of a live host (null: an offline root).
kmod_facts(available, disabled, blacklisted, loaded) := {
	"files": [{"path": kmod_cis_file, "applied": true}],
	"install": {name: [{"command": "/bin/false", "file": kmod_cis_file, "line": kmod_line(name, "install"), "order": i}] |
		some i, name in disabled
	},
	"remove": {},
	"blacklist": {name: [{"file": kmod_cis_file, "line": kmod_line(name, "blacklist")}] | some name in blacklisted},
	"options": {},
	"aliases": [],
	"softdeps": {},
	"ignored": [],
	"kernels": ["6.1.0-18-amd64"],
	"available": available,
	"builtin": {"ext4": ["6.1.0-18-amd64"]},
	"loaded": kmod_loaded(loaded),
}

kmod_loaded(names) := {
	"available": false,
	"reason": "/mnt/image is an offline root, so /proc/modules describes the scanning machine, not it",
	"supported": false,
	"modules": {},
} if {
	names == null
} else := {"available": true, "supported": true, "modules": {name: {
	"name": name,
	"size": 4096,
	"refcount": 0,
	"used_by": [],
	"state": "Live",
} |
	some name in names
}}

# kmod_running are modules a Debian 12 server typically has loaded.
kmod_running := ["virtio_net", "net_failover", "failover", "crc16", "mbcache", "jbd2"]

hardened_facts.kernel_modules := kmod_facts(kmod_available, kmod_cis_modules, kmod_cis_modules, kmod_running)

# debian12_facts.kernel_modules: only the modprobe.d files Debian's kmod
# and systemd packages ship, which disable none of the CIS modules.
debian12_facts.kernel_modules := object.union(kmod_facts(kmod_available, [], [], kmod_running), {
	"files": [
		{"path": "/lib/modprobe.d/aliases.conf", "applied": true},
		{"path": "/lib/modprobe.d/fbdev-blacklist.conf", "applied": true},
		{"path": "/lib/modprobe.d/systemd.conf", "applied": true},
	],
	"blacklist": {"vga16fb": [{"file": "/lib/modprobe.d/fbdev-blacklist.conf", "line": 8}]},
	"options": {
		"bonding": [{"options": "max_bonds=0", "file": "/lib/modprobe.d/systemd.conf", "line": 16}],
		"dummy": [{"options": "numdummies=0", "file": "/lib/modprobe.d/systemd.conf", "line": 20}],
	},
	"aliases": [{"alias": "net_pf_3", "module": "off", "file": "/lib/modprobe.d/aliases.conf", "line": 10}],
})

empty_facts.kernel_modules := {
	"files": [],
	"install": {},
	"remove": {},
	"blacklist": {},
	"options": {},
	"aliases": [],
	"softdeps": {},
	"ignored": [],
	"kernels": [],
	"available": {},
	"builtin": {},
	"loaded": kmod_loaded(null),
}

# Stock Debian 12 ships every CIS module and disables none.
expect.debian12_host[id] := "fail" if some id in [sprintf("GCL-KMOD-%03d", [n]) | some n in numbers.range(1, 12)]
