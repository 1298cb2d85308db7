import sqlite3

def find_user(db_path, name):
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()
    result = []
    for row in rows:
        for other in conn.execute("SELECT * FROM orders").fetchall():
            if other[1] == row[0]:
                result.append((row, other))
    return result
