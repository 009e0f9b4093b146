package finder

import (
	"io"
	"os"
	"path"
	"strings"

	"github.com/parley-tui/parley/model/attach"
)

// Opening every file to look at its first bytes would cost a 100k-file
// tree about a second of system calls, so the extension decides where it
// can: the common text, image and PDF extensions are listed, and so are
// the binary ones, which are skipped without opening them. Only the
// rest are sniffed. A wrong guess costs little: Load still checks the
// content and says what is wrong.
var byExtension = map[string]attach.Kind{
	".png": attach.Image, ".jpg": attach.Image, ".jpeg": attach.Image, ".gif": attach.Image, ".webp": attach.Image,
	".pdf": attach.PDF,
}

func init() {
	for _, e := range strings.Fields(textExtensions) {
		byExtension[e] = attach.Text
	}
	for _, e := range strings.Fields(binaryExtensions) {
		byExtension[e] = binaryKind
	}
}

// binaryKind marks an extension whose files are skipped.
const binaryKind attach.Kind = "binary"

const textExtensions = `.txt .md .markdown .rst .adoc .org .tex .go .mod .sum .py .pyi .js .mjs .cjs .ts .tsx .jsx
.rs .c .h .cc .cpp .cxx .hpp .hh .m .mm .java .kt .kts .scala .swift .rb .php .cs .fs .vb .lua .pl .pm .r .jl
.dart .zig .nim .hs .ml .mli .ex .exs .erl .hrl .clj .cljs .el .vim .sh .bash .zsh .fish .ps1 .bat .cmd
.sql .html .htm .css .scss .sass .less .xml .svg .json .jsonl .ndjson .yaml .yml .toml .ini .cfg .conf
.env .properties .csv .tsv .log .diff .patch .proto .graphql .gql .tf .hcl .nix .vue .svelte .astro
.gradle .cmake .mk .dockerfile .gitignore .gitattributes .editorconfig .lock .tmpl .tpl .j2 .txtar .srt .vtt`

const binaryExtensions = `.o .a .so .dylib .dll .exe .lib .obj .pdb .class .jar .war .ear .pyc .pyo .whl .egg
.wasm .zip .gz .tgz .bz2 .xz .zst .lz4 .7z .rar .tar .iso .dmg .deb .rpm .apk .ipa .msi .pack .idx
.mp3 .mp4 .m4a .m4v .mov .avi .mkv .webm .wav .flac .ogg .opus .aac .woff .woff2 .ttf .otf .eot
.ico .bmp .tif .tiff .heic .heif .avif .psd .ai .sketch .fig .xcf .raw .cr2 .nef
.db .sqlite .sqlite3 .mdb .bin .dat .pkl .pt .pth .onnx .npy .npz .h5 .parquet .arrow .feather
.doc .docx .xls .xlsx .ppt .pptx .odt .ods .odp .key .numbers .pages .ds_store`

// sniffLen is how much of a file with an unknown extension is read.
const sniffLen = 1024

// kindOf says what the file at full (named name) would be attached as,
// and false for a file to skip. Files with no listed extension are opened
// and their first bytes sniffed.
func kindOf(full, name string) (attach.Kind, bool) {
	ext := strings.ToLower(path.Ext(name)) // ".env" for ".env"
	if k, ok := byExtension[ext]; ok {
		return k, k != binaryKind
	}
	f, err := os.Open(full)
	if err != nil {
		return "", false
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", false
	}
	if n == 0 {
		return attach.Text, true // an empty file is empty text
	}
	return attach.Sniff(head[:n])
}
