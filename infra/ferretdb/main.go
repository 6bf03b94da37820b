// Command ferretdb runs FerretDB v1 with its SQLite backend on 127.0.0.1, for
// the read store's integration tests and local development.
//
// It embeds github.com/FerretDB/FerretDB/ferretdb rather than building
// FerretDB's own CLI: `go install` of the CLI panics on the version file that
// only FerretDB's release build generates, while the embeddable package needs
// none. The embedded package also keeps telemetry off and locked.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

type options struct {
	port    int
	dataDir string
	logFile string
	level   slog.Level
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run() error {
	opts, err := parseOptions()
	if err != nil {
		return err
	}

	logger, closeLog, err := openLogger(opts.logFile, opts.level)
	if err != nil {
		return err
	}
	defer closeLog()

	dataDir, err := filepath.Abs(opts.dataDir)
	if err != nil {
		return err
	}
	// The SQLite backend wants an existing directory, given as a file: URI ending with a slash.
	// synchronous=NORMAL (in WAL mode) skips the fsync of every commit: a power cut may lose
	// the last writes but never corrupts a database, and FerretDB here serves tests and
	// development, whose read models are rebuilt from the event log anyway.
	if err = os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.port))},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dataDir + "/?_pragma=synchronous(normal)",
	})
	if err != nil {
		return err
	}

	// SIGTERM (stop.sh) and SIGINT (a terminal) end Run, which closes the
	// listener, the connections and the SQLite databases cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	logger.Info("starting", slog.String("dataDir", dataDir), slog.Int("port", opts.port))
	err = f.Run(ctx)
	logger.Info("stopped")

	return err
}

// parseOptions reads flags, each defaulting to its environment variable, then to a built-in value.
func parseOptions() (options, error) {
	defaultPort, err := envInt("FERRETDB_PORT", 27018)
	if err != nil {
		return options{}, err
	}

	var opts options
	var level string

	flag.IntVar(&opts.port, "port", defaultPort, "TCP port on 127.0.0.1 (env FERRETDB_PORT)")
	flag.StringVar(&opts.dataDir, "data-dir", envString("FERRETDB_DATA_DIR", ".infra/ferretdb/data"),
		"directory of the SQLite databases (env FERRETDB_DATA_DIR)")
	flag.StringVar(&opts.logFile, "log-file", envString("FERRETDB_LOG_FILE", ".infra/ferretdb/ferretdb.log"),
		"file the log is appended to; - for stderr (env FERRETDB_LOG_FILE)")
	flag.StringVar(&level, "log-level", envString("FERRETDB_LOG_LEVEL", "info"),
		"debug, info, warn or error (env FERRETDB_LOG_LEVEL)")
	flag.Parse()

	if flag.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if opts.port < 1 || opts.port > 65535 {
		return options{}, fmt.Errorf("port %d is out of range", opts.port)
	}
	if err = opts.level.UnmarshalText([]byte(level)); err != nil {
		return options{}, fmt.Errorf("log level: %w", err)
	}

	return opts, nil
}

func openLogger(path string, level slog.Level) (*slog.Logger, func(), error) {
	handlerOpts := &slog.HandlerOptions{Level: level}
	if path == "-" {
		return slog.New(slog.NewTextHandler(os.Stderr, handlerOpts)), func() {}, nil
	}

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, err
	}

	file, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, err
	}

	return slog.New(slog.NewTextHandler(file, handlerOpts)), func() { _ = file.Close() }, nil
}

func envString(name, fallback string) string {
	if value, ok := os.LookupEnv(name); ok && value != "" {
		return value
	}

	return fallback
}

func envInt(name string, fallback int) (int, error) {
	value, ok := os.LookupEnv(name)
	if !ok || value == "" {
		return fallback, nil
	}

	n, err := strconv.Atoi(value)
	if err != nil {
		return 0, errors.Join(fmt.Errorf("%s is not a number", name), err)
	}

	return n, nil
}
