package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/spf13/afero"
)

// Cron describes the files that decide who may schedule jobs with cron
// and at: ownership and modes of the system crontab and its directories,
// and the allow/deny lists. The content of crontabs is not read.
type Cron struct{}

// CronFacts are the facts of the cron collector.
type CronFacts struct {
	// Paths describes /etc/crontab, /etc/cron.hourly, /etc/cron.daily,
	// /etc/cron.weekly, /etc/cron.monthly, /etc/cron.yearly, /etc/cron.d
	// and /var/spool/cron/crontabs, keyed by path, like the files
	// collector (lstat, and for a symlink also what it resolves to).
	Paths map[string]*FileInfo `json:"paths"`
	// Access describes /etc/cron.allow, /etc/cron.deny, /etc/at.allow
	// and /etc/at.deny with the user names they list.
	Access map[string]*CronAccessFile `json:"access"`
	// Programs describes the cron and at programs (/usr/sbin/cron,
	// /usr/bin/crontab, /usr/sbin/atd, /usr/bin/at), to tell whether
	// cron and at are installed at all.
	Programs map[string]*FileInfo `json:"programs"`
}

// CronAccessFile is an allow or deny file.
type CronAccessFile struct {
	*FileInfo
	// Users are the names the file lists, one per non-empty line, as
	// cron and at compare them: the whole line, without its newline.
	Users []CronUser `json:"users"`
}

// CronUser is one name of an allow or deny file.
type CronUser struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

var (
	cronPaths = []string{
		"/etc/crontab", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly",
		"/etc/cron.yearly", "/etc/cron.d", "/var/spool/cron/crontabs",
	}
	cronAccessPaths = []string{"/etc/cron.allow", "/etc/cron.deny", "/etc/at.allow", "/etc/at.deny"}
	cronPrograms    = []string{"/usr/sbin/cron", "/usr/bin/crontab", "/usr/sbin/atd", "/usr/bin/at"}
)

// Name implements Collector.
func (Cron) Name() string { return "cron" }

// Collect implements Collector. Missing paths are facts; a path that
// cannot be examined, or an allow/deny file that cannot be read, fails the
// collector.
func (Cron) Collect(ctx context.Context, t Target) (any, error) {
	names := idNames{users: readIDNames(t.Fs, "/etc/passwd"), groups: readIDNames(t.Fs, "/etc/group")}
	facts := &CronFacts{Paths: map[string]*FileInfo{}, Access: map[string]*CronAccessFile{}, Programs: map[string]*FileInfo{}}
	stat := func(p string) (*FileInfo, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fi, err := describe(t.Fs, p, names, true)
		if err != nil {
			return nil, fmt.Errorf("cron: %w", err)
		}
		return fi, nil
	}
	for _, p := range cronPaths {
		fi, err := stat(p)
		if err != nil {
			return nil, err
		}
		facts.Paths[p] = fi
	}
	for _, p := range cronPrograms {
		fi, err := stat(p)
		if err != nil {
			return nil, err
		}
		facts.Programs[p] = fi
	}
	for _, p := range cronAccessPaths {
		fi, err := stat(p)
		if err != nil {
			return nil, err
		}
		af := &CronAccessFile{FileInfo: fi, Users: []CronUser{}}
		if fi.Exists {
			if af.Users, err = cronReadUsers(t.Fs, p); err != nil {
				return nil, err
			}
		}
		facts.Access[p] = af
	}
	return facts, nil
}

// cronReadUsers reads the names of an allow or deny file. cron and at
// compare each whole line (without its newline) with the user's name, so
// names are kept as written; a file that is not a regular file (a
// directory) lists nobody.
func cronReadUsers(fsys afero.Fs, p string) ([]CronUser, error) {
	users := []CronUser{}
	data, err := ReadFile(fsys, p, MaxConfigSize)
	switch {
	case errors.Is(err, ErrNotRegular) || errors.Is(err, fs.ErrNotExist):
		return users, nil
	case err != nil:
		return nil, fmt.Errorf("cron: %w", err)
	}
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" {
			continue
		}
		if !utf8.ValidString(line) || strings.IndexByte(line, 0) >= 0 {
			return nil, fmt.Errorf("cron: %s:%d: not text (invalid UTF-8 or NUL)", p, n+1)
		}
		users = append(users, CronUser{Name: line, Line: n + 1})
	}
	return users, nil
}
