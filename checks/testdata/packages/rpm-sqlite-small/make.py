# Builds rpmdb.sqlite here (run it in this directory): rpm's sqlite
# schema with 512-byte pages, so that few rows make a multi-level b-tree and
# real headers spill onto overflow pages.
import sqlite3, struct, os

def header(name, version, release, arch=None, epoch=None, srpm=None):
    tags = [(1000, 6, name), (1001, 6, version), (1002, 6, release)]
    if epoch is not None: tags.append((1003, 4, epoch))
    if arch is not None: tags.append((1022, 6, arch))
    if srpm is not None: tags.append((1044, 6, srpm))
    data = b''; entries = []
    for tag, typ, v in tags:
        if typ == 4:
            while len(data) % 4: data += b'\0'
            entries.append((tag, typ, len(data), 1)); data += struct.pack('>I', v)
        else:
            entries.append((tag, typ, len(data), 1)); data += v.encode() + b'\0'
    il = len(entries) + 1
    region_off = len(data)
    data += struct.pack('>iIiI', 63, 7, -il * 16, 16)   # region trailer
    out = struct.pack('>II', il, len(data)) + struct.pack('>iIiI', 63, 7, region_off, 16)
    for e in entries: out += struct.pack('>iIiI', *e)
    return out + data

rows = []
for i in range(40):
    rows.append(header('pkg%02d' % i, '1.%d' % i, '%d.el9' % (i % 3 + 1), 'x86_64', epoch=(i if i % 4 == 0 else None),
                       srpm='src%02d-1.%d-%d.el9.src.rpm' % (i // 2, i, i % 3 + 1)))
big = sqlite3.connect('../rpm-sqlite/rpmdb.sqlite')
real = [r[0] for r in big.execute('SELECT blob FROM Packages WHERE hnum IN (8, 10) ORDER BY hnum')]
big.close()
path = 'rpmdb.sqlite'
if os.path.exists(path): os.remove(path)
c = sqlite3.connect(path)
c.execute('PRAGMA page_size = 512')
# rpm's whole schema (rpm opens the index tables even to list packages).
schema = [r[0] for r in sqlite3.connect('../rpm-sqlite/rpmdb.sqlite').execute(
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
for stmt in schema:
    c.execute(stmt)
for b in rows[:20] + real + rows[20:]:
    c.execute('INSERT INTO Packages(blob) VALUES (?)', (b,))
c.execute('DELETE FROM Packages WHERE hnum = 7')
c.commit()
c.execute('VACUUM')
c.close()
print(os.path.getsize(path))

# fuzz-seed.sqlite: the Packages table alone, with a few small rows and one
# spilling onto overflow pages; a small seed keeps FuzzPackagesRPMSQLite fast.
path = 'fuzz-seed.sqlite'
if os.path.exists(path): os.remove(path)
c = sqlite3.connect(path)
c.execute('PRAGMA page_size = 512')
c.execute(schema[0])
for b in rows[:6] + [header('long', '1.0' + '.0' * 400, '1', 'noarch', srpm='long-1.0-1.src.rpm')]:
    c.execute('INSERT INTO Packages(blob) VALUES (?)', (b,))
c.commit()
c.execute('VACUUM')
c.close()
print(os.path.getsize(path))
