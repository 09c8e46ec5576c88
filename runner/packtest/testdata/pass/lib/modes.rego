# Octal file modes as the files collector reports them ("0640").
package acme.lib.modes

# octal("0640") is 416.
octal(s) := n if {
	count(s) == 4
	d := [to_number(c) | some c in split(s, "")]
	n := ((d[0] * 512) + (d[1] * 64)) + ((d[2] * 8) + d[3])
}

# within(mode, loosest) holds when mode grants nothing loosest does not.
within(mode, loosest) if bits.and(octal(mode), bits.xor(octal(loosest), 4095)) == 0
