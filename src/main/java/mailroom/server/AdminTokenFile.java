package mailroom.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import mailroom.directory.DirectoryException;
import mailroom.directory.access.OperatorTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's first credential: a file whose first line is a server-wide admin token. A file that exists
 * is verified (its token created when the store does not know it yet, so every node given the same file
 * agrees); a missing one is generated with mode 0600. Its path is logged, never the token.
 */
final class AdminTokenFile {
    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenFile.class);
    static final String TOKEN_NAME = "bootstrap (admin token file)";

    private AdminTokenFile() {}

    static void bootstrap(Path file, OperatorTokens tokens) {
        String token;
        boolean generated = false;
        try {
            if (Files.exists(file)) {
                token = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
                if (token.isEmpty()) throw failure(file, "its first line is empty (delete it to have a token generated)");
            } else {
                token = OperatorTokens.newPlaintext();
                write(file, token);
                generated = true;
            }
        } catch (IOException e) {
            throw failure(file, StartupFailure.reason(e));
        }
        try {
            try {
                tokens.bootstrap(token, TOKEN_NAME);
            } catch (DirectoryException e) {
                throw e;
            } catch (RuntimeException e) {
                // Nodes started together on one database with one new file: one inserts the token, the other's
                // insert meets the unique hash and finds it on a second look.
                tokens.bootstrap(token, TOKEN_NAME);
            }
        } catch (DirectoryException e) {
            throw failure(file, "its token was revoked (delete the file to have a new one generated)");
        }
        if (generated) {
            LOG.info("admin token generated into {} (mode 0600); send it as Authorization: Bearer to /admin/v1", file);
        } else {
            LOG.info("admin token read from {}", file);
        }
    }

    private static void write(Path file, String token) throws IOException {
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("it appeared while being created; start again", e);
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static StartupFailure failure(Path file, String reason) {
        return new StartupFailure(StartupFailure.Kind.ADMIN_TOKEN, "admin token file " + file + ": " + reason, null);
    }
}
