# Helpers shared by the "package must not be installed" rules. A library:
# no custom.id and no deny. Only input.packages is read here.
package gcrun.linux.lib.packages

# not_dpkg is the not_applicable reason of every package rule on a host
# whose package database is not dpkg's: the rules look for Debian package
# names. It tests `exists == false` and the format rather than `not exists`
# so that a failed collector is never mistaken for "not dpkg".
not_dpkg contains reason if {
	input.packages.exists == false
	object.get(input.packages, "format", "dpkg") == "dpkg"
	database := object.get(input.packages, "database", "/var/lib/dpkg/status")
	reason := {
		"code": "no_package_database",
		"phrase": sprintf("%s does not exist: not a dpkg-based system", [database]),
		"evidence": {"file": database},
	}
}

# The collector also reads rpm and apk databases; on such a host (by its
# os-release family, or the database it has) Debian package names mean
# nothing, whether or not the database exists.
not_dpkg contains reason if {
	format := input.packages.format
	format != "dpkg"
	reason := {
		"code": "not_dpkg",
		"phrase": sprintf("the package database is %s's (%s), not dpkg's: not a dpkg-based system", [format, input.packages.database]),
		"evidence": {"file": input.packages.database, "format": format},
	}
}

# installed(names) are the installed instances (one per architecture) of
# the packages named.
installed(names) := {p | some name in names; some p in object.get(input.packages.installed, name, [])}

# forbidden(names, why) is one reason per installed instance of the packages
# named; why completes the phrase ("telnet sends passwords in cleartext").
forbidden(names, why) := {reason |
	some p in installed(names)
	reason := {
		"code": "installed",
		"phrase": sprintf("package %s %s (%s) is installed, expected not installed: %s", [p.name, p.version, p.architecture, why]),
		"expected": "not installed",
		"actual": p.version,
		"evidence": {"package": p.name, "version": p.version, "architecture": p.architecture, "status": object.get(p, "status", "")},
	}
}

# evidence(names) is a rule's evidence: which of the packages it looked for
# are installed, with their versions.
evidence(names) := {
	"checked": sort(names),
	"installed": {name: versions |
		some name in names
		instances := object.get(input.packages.installed, name, [])
		count(instances) > 0
		versions := sort([sprintf("%s (%s)", [p.version, p.architecture]) | some p in instances])
	},
}

# remove(names) is one package.remove action per installed package named
# (docs/remediation.md); none on a host whose rules do not apply.
remove(names) := {a |
	count(not_dpkg) == 0
	some p in installed(names)
	a := {"type": "package.remove", "name": p.name}
}
