// Package sqlstore holds what the SQL store engines share around their
// statements: the JSON documents that hold a mirrored record's fields, their
// content hashes, and the text form of timestamps. Each engine writes its own
// SQL in its own package.
package sqlstore
