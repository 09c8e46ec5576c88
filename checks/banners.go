package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/spf13/afero"
)

// bannerPaths are the files the banners collector describes: the local
// (getty) and remote (telnet, sshd Banner) pre-login banners and the
// message of the day shown after login.
var bannerPaths = []string{"/etc/issue", "/etc/issue.net", "/etc/motd"}

// bannerUpdateMotdDir holds the scripts pam_motd runs (through run-parts)
// to build the dynamic part of the message of the day on Debian and
// Ubuntu.
const bannerUpdateMotdDir = "/etc/update-motd.d"

// BannerContentLimit is how much of a banner's text the facts carry.
const BannerContentLimit = 4096

// bannerEscapeLetters are the characters agetty(8) interprets after a
// backslash in an issue file (util-linux term-utils/agetty.c,
// output_special_char); any other character after a backslash is printed
// as itself.
const bannerEscapeLetters = "46aAbdelmnoOrsStuUv"

// bannerEscapeArgs are the escapes that take an optional {argument}.
const bannerEscapeArgs = "46eS"

// Banners collects the login banners /etc/issue, /etc/issue.net and
// /etc/motd, and the scripts of /etc/update-motd.d.
type Banners struct{}

// BannersFacts is the facts of the banners collector (docs/facts/banners.md).
type BannersFacts struct {
	// Files maps each banner path (/etc/issue, /etc/issue.net, /etc/motd)
	// to its description.
	Files map[string]*BannerFile `json:"files"`
	// UpdateMotd describes /etc/update-motd.d.
	UpdateMotd BannerUpdateMotd `json:"update_motd"`
}

// BannerFile describes one banner file. For a symlink, the stat fields
// describe the file it resolves to inside the root (as `stat -L` does, which
// is what CIS audits), and LinkTarget says where the link points. Only Path,
// Exists and LinkTarget are set when nothing exists there (a dangling
// symlink included).
type BannerFile struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// LinkTarget is the target of a symlink at Path, as written in it.
	LinkTarget string `json:"link_target,omitempty"`
	*FileStat
	*BannerText
}

// BannerText is the text of a banner that is a regular file.
type BannerText struct {
	// Content is the first BannerContentLimit bytes of the file, cut at a
	// character boundary, with invalid UTF-8 replaced by U+FFFD.
	Content string `json:"content"`
	// Truncated is true when the file is longer than Content.
	Truncated bool `json:"truncated"`
	// Escapes lists the agetty escapes in the whole file, in order.
	Escapes []BannerEscape `json:"escapes"`
}

// BannerEscape is one agetty escape sequence such as \r or \S{VERSION}.
type BannerEscape struct {
	// Escape is the backslash and its letter: "\\m", "\\S".
	Escape string `json:"escape"`
	// Argument is the text in braces after \S, \e, \4 or \6, if any.
	Argument string `json:"argument,omitempty"`
	// Line is the line of the backslash, from 1.
	Line int `json:"line"`
}

// BannerUpdateMotd describes the update-motd.d directory.
type BannerUpdateMotd struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// Scripts are the regular files in the directory, sorted by name.
	Scripts []BannerScript `json:"scripts"`
}

// BannerScript is one file of update-motd.d.
type BannerScript struct {
	Name string `json:"name"`
	// Executable is true when any execute bit is set: run-parts runs only
	// those.
	Executable bool `json:"executable"`
}

// Name implements Collector.
func (Banners) Name() string { return "banners" }

// Collect implements Collector. A missing banner is a fact; one that cannot
// be examined or read is an error naming the file.
func (Banners) Collect(ctx context.Context, t Target) (any, error) {
	facts := &BannersFacts{Files: map[string]*BannerFile{}}
	names := idNames{
		users:  readIDNames(t.Fs, "/etc/passwd"),
		groups: readIDNames(t.Fs, "/etc/group"),
	}
	for _, p := range bannerPaths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := bannerDescribe(t.Fs, p, names)
		if err != nil {
			return nil, err
		}
		facts.Files[p] = f
	}
	motd, err := bannerReadUpdateMotd(t.Fs)
	if err != nil {
		return nil, err
	}
	facts.UpdateMotd = motd
	return facts, nil
}

// bannerDescribe stats p (following symlinks inside the root) and reads
// its text when it is a regular file.
func bannerDescribe(fsys afero.Fs, p string, names idNames) (*BannerFile, error) {
	out := &BannerFile{Path: p}
	li, err := lstat(fsys, p)
	if hostMissing(err) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("banners: %w", err)
	}
	if li.Mode()&os.ModeSymlink != 0 {
		if lr, ok := fsys.(afero.LinkReader); ok {
			if out.LinkTarget, err = lr.ReadlinkIfPossible(p); err != nil {
				return nil, fmt.Errorf("banners: %w", err)
			}
		}
	}
	fi, err := fsys.Stat(p)
	if hostMissing(err) {
		return out, nil // a dangling symlink: nothing would be shown
	}
	if err != nil {
		return nil, fmt.Errorf("banners: %w", err)
	}
	st, err := statOf(fi, names)
	if err != nil {
		return nil, fmt.Errorf("banners: %s: %w", p, err)
	}
	out.Exists, out.FileStat = true, st
	if !fi.Mode().IsRegular() {
		return out, nil
	}
	data, err := ReadFile(fsys, p, MaxConfigSize)
	if err != nil {
		return nil, fmt.Errorf("banners: %w", err)
	}
	out.BannerText = bannerParseText(data)
	return out, nil
}

// bannerParseText returns the facts of a banner's bytes.
func bannerParseText(data []byte) *BannerText {
	head := data
	truncated := len(data) > BannerContentLimit
	if truncated {
		head = data[:BannerContentLimit]
		// Do not cut a character in two: drop a trailing sequence that the
		// cut left incomplete (invalid bytes before it become U+FFFD).
		for i := 1; i < utf8.UTFMax && i <= len(head); i++ {
			if utf8.RuneStart(head[len(head)-i]) {
				if !utf8.FullRune(head[len(head)-i:]) {
					head = head[:len(head)-i]
				}
				break
			}
		}
	}
	return &BannerText{
		Content:   strings.ToValidUTF8(string(head), "\uFFFD"),
		Truncated: truncated,
		Escapes:   bannerEscapes(data),
	}
}

// bannerEscapes finds the escapes as agetty reads them: a backslash takes
// the next byte; letters of bannerEscapeLetters are escapes ("\\\\" is a
// literal backslash, anything else prints itself), and \S, \e, \4, \6 may
// take an {argument}.
func bannerEscapes(data []byte) []BannerEscape {
	out := []BannerEscape{}
	line := 1
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			line++
			continue
		}
		if c != '\\' || i+1 >= len(data) {
			continue
		}
		i++
		e := data[i]
		if e == '\n' {
			line++
			continue
		}
		if strings.IndexByte(bannerEscapeLetters, e) < 0 {
			continue
		}
		esc := BannerEscape{Escape: `\` + string(e), Line: line}
		if strings.IndexByte(bannerEscapeArgs, e) >= 0 && i+1 < len(data) && data[i+1] == '{' {
			if end := strings.IndexByte(string(data[i+2:]), '}'); end >= 0 {
				arg := data[i+2 : i+2+end]
				esc.Argument = strings.ToValidUTF8(string(arg), "\uFFFD")
				line += strings.Count(string(arg), "\n")
				i += 2 + end
			}
		}
		out = append(out, esc)
	}
	return out
}

// bannerReadUpdateMotd lists /etc/update-motd.d.
func bannerReadUpdateMotd(fsys afero.Fs) (BannerUpdateMotd, error) {
	out := BannerUpdateMotd{Path: bannerUpdateMotdDir, Scripts: []BannerScript{}}
	fi, err := fsys.Stat(bannerUpdateMotdDir)
	if hostMissing(err) {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("banners: %w", err)
	}
	if !fi.IsDir() {
		return out, fmt.Errorf("banners: %s: %w", bannerUpdateMotdDir, errors.New("not a directory"))
	}
	out.Exists = true
	entries, err := afero.ReadDir(fsys, bannerUpdateMotdDir)
	if err != nil {
		return out, fmt.Errorf("banners: %w", err)
	}
	for _, e := range entries {
		p := bannerUpdateMotdDir + "/" + e.Name()
		st, err := fsys.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // a dangling link runs nothing
		}
		if err != nil {
			return out, fmt.Errorf("banners: %w", err)
		}
		if !st.Mode().IsRegular() {
			continue
		}
		out.Scripts = append(out.Scripts, BannerScript{Name: e.Name(), Executable: st.Mode().Perm()&0o111 != 0})
	}
	sort.Slice(out.Scripts, func(i, j int) bool { return out.Scripts[i].Name < out.Scripts[j].Name })
	return out, nil
}
