package acme.lib.modes_test

import data.acme.lib.modes

test_octal if {
	modes.octal("0640") == 416
	modes.octal("4755") == 2541
}

test_within if {
	modes.within("0600", "0640")
	modes.within("0640", "0640")
	not modes.within("0644", "0640")
	not modes.within("4640", "0640")
}
