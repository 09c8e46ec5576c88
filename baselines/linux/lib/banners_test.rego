package gcrun.linux.lib.banners_test

import data.gcrun.linux.lib.banners

test_quote_escapes_metacharacters if {
	banners.quote("c++ (v1.0)|x") == "c\\+\\+ \\(v1\\.0\\)\\|x"
	regex.match(banners.word_pattern("c++"), "runs C++ code")
	not regex.match(banners.word_pattern("c.+"), "runs cxx code")
}

test_word_pattern_whole_words_any_space_any_case if {
	regex.match(banners.word_pattern("red hat"), "RED\tHat")
	not regex.match(banners.word_pattern("linux"), "linuxfan")
	regex.match(banners.word_pattern("linux"), "GNU/Linux 12")
}

test_word_pattern_submatch_is_the_name if {
	regex.find_all_string_submatch_n(banners.word_pattern("gnu"), "Debian GNU/Linux", -1) == [[" GNU/", "GNU"]]
}

test_id_name if {
	banners.id_name("alice", 1000) == "alice (1000)"
	banners.id_name("", 1234) == "1234"
}

test_permission_names if {
	banners.permission_names(bits.and(436, bits.negate(420))) == ["group write"]
	banners.permission_names(0) == []
}
