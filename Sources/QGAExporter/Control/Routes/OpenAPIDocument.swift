import Hummingbird

/// The OpenAPI document of the control API, served at `/api/v1/openapi.yaml`. The repository
/// copy is docs/openapi.yaml; ControlOpenAPITests fail when the two differ or when the document
/// and `ControlRoutes.all` disagree. After editing docs/openapi.yaml, paste it below (the blank
/// last line keeps the file's final newline).
enum OpenAPIDocument {
    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let text = #"""
openapi: 3.1.0
info:
  title: qga_exporter control API
  version: "1"
  summary: Run QEMU Guest Agent commands in the guests a qga_exporter polls.
  description: |
    The control API of qga_exporter (docs/control-api.md). It listens on its own address,
    off by default, and sends every command through the same per-guest connection and queue
    as the metrics poller. Authentication is required on TCP (bearer tokens, or bcrypt basic
    auth from the exporter-toolkit web config); on a unix socket a caller without credentials
    is the principal `local`. Each principal may run the commands its allowlist names;
    read-only commands when it has none. Every call is written to the audit log.
  license:
    name: Apache-2.0
    identifier: Apache-2.0
servers:
  - url: http://127.0.0.1:9958
    description: the default TCP listener (loopback)
security:
  - bearer: []
  - basic: []
  - {}
tags:
  - name: guests
  - name: commands
  - name: conveniences
paths:
  /api/v1/guests:
    get:
      tags: [guests]
      operationId: listGuests
      summary: Every guest with its state, agent version and enabled commands.
      responses:
        "200":
          description: The guests, sorted by name.
          content:
            application/json:
              schema:
                type: object
                required: [guests]
                properties:
                  guests:
                    type: array
                    items: {$ref: "#/components/schemas/Guest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /api/v1/guests/{guest}:
    parameters:
      - $ref: "#/components/parameters/Guest"
    get:
      tags: [guests]
      operationId: getGuest
      summary: One guest's state.
      responses:
        "200":
          description: The guest.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Guest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
  /api/v1/guests/{guest}/commands/{command}:
    parameters:
      - $ref: "#/components/parameters/Guest"
      - name: command
        in: path
        required: true
        description: The agent command, e.g. guest-get-osinfo.
        schema: {type: string, pattern: "^guest-[a-z0-9-]+$"}
    post:
      tags: [commands]
      operationId: runCommand
      summary: Run any agent command by name.
      description: |
        The body is the command's `arguments` object (empty for none); the answer is the
        agent's `return` value. guest-sync and guest-sync-delimited are the exporter's own
        (400). Freezes arm the automatic thaw, thaws disarm it. Commands that do not reply on
        success (guest-shutdown, guest-suspend-*) answer 202 once sent without a refusal.
      requestBody:
        required: false
        content:
          application/json:
            schema:
              type: object
              additionalProperties: true
      responses:
        "200":
          description: The agent's answer.
          content:
            application/json:
              schema:
                type: object
                required: [return]
                properties:
                  return: {description: "The agent's return value, as it sent it."}
        "202":
          description: A no-reply command was sent and not refused.
          content:
            application/json:
              schema:
                type: object
                properties:
                  sent: {type: boolean}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "502": {$ref: "#/components/responses/AgentError"}
        "504": {$ref: "#/components/responses/AgentTimeout"}
  /api/v1/guests/{guest}/exec:
    parameters:
      - $ref: "#/components/parameters/Guest"
    post:
      tags: [conveniences]
      operationId: exec
      summary: Run a program, wait for it, get its exit code and output.
      description: |
        guest-exec, then guest-exec-status until the process exits or the wait ends (504
        with its pid, which guest-exec-status can still be polled for). Output comes decoded:
        as text when it is UTF-8, else as `stdout_base64` / `stderr_base64`. Needs guest-exec
        in the caller's allowlist.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [path]
              additionalProperties: false
              properties:
                path: {type: string, description: "Program to run, e.g. /bin/echo."}
                args: {type: array, items: {type: string}}
                env: {type: array, items: {type: string}, description: "NAME=value entries."}
                input: {type: string, description: "Text fed to stdin."}
                input_base64: {type: string, description: "Bytes fed to stdin, base64."}
                capture_output: {type: boolean, default: true}
                timeout_seconds:
                  type: number
                  exclusiveMinimum: 0
                  description: How long to wait; at most control.exec_timeout (the default).
      responses:
        "200":
          description: The process exited.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ExecResult"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "502": {$ref: "#/components/responses/AgentError"}
        "504": {$ref: "#/components/responses/AgentTimeout"}
  /api/v1/guests/{guest}/file:
    parameters:
      - $ref: "#/components/parameters/Guest"
      - name: path
        in: query
        required: true
        description: Absolute path of the file in the guest.
        schema: {type: string}
    get:
      tags: [conveniences]
      operationId: readFile
      summary: Read a whole file.
      description: Read in chunks, at most control.max_file_bytes. Needs guest-file-read.
      responses:
        "200":
          description: The file's bytes.
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "502": {$ref: "#/components/responses/AgentError"}
        "504": {$ref: "#/components/responses/AgentTimeout"}
    put:
      tags: [conveniences]
      operationId: writeFile
      summary: Write (or append to) a whole file.
      description: The body is the content, at most control.max_file_bytes. Needs guest-file-write.
      parameters:
        - name: append
          in: query
          required: false
          schema: {type: boolean, default: false}
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        "200":
          description: Written and flushed.
          content:
            application/json:
              schema:
                type: object
                required: [path, bytes_written]
                properties:
                  path: {type: string}
                  bytes_written: {type: integer}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "502": {$ref: "#/components/responses/AgentError"}
        "504": {$ref: "#/components/responses/AgentTimeout"}
  /api/v1/guests/{guest}/fsfreeze:
    parameters:
      - $ref: "#/components/parameters/Guest"
    get:
      tags: [conveniences]
      operationId: fsfreezeStatus
      summary: Whether the guest's filesystems are frozen.
      responses:
        "200":
          description: The state, and when an automatic thaw is due.
          content:
            application/json:
              schema:
                type: object
                required: [status]
                properties:
                  status: {type: string, examples: [thawed, frozen]}
                  auto_thaw_at: {type: string, format: date-time}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "502": {$ref: "#/components/responses/AgentError"}
        "504": {$ref: "#/components/responses/AgentTimeout"}
  /api/v1/guests/{guest}/fsfreeze/freeze:
    parameters:
      - $ref: "#/components/parameters/Guest"
    post:
      tags: [conveniences]
      operationId: fsfreezeFreeze
      summary: Freeze the guest's filesystems, thawed automatically after control.freeze_auto_thaw.
      description: Needs guest-fsfreeze-freeze, or guest-fsfreeze-freeze-list with mountpoints.
      requestBody:
        required: false
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                mountpoints: {type: array, items: {type: string}}
      responses:
        "200":
          description: Frozen.
          content:
            application/json:
              schema:
                type: object
                required: [frozen, auto_thaw_at, auto_thaw_seconds]
                properties:
                  frozen: {type: integer, description: Number of filesystems frozen.}
                  auto_thaw_at: {type: string, format: date-time}
                  auto_thaw_seconds: {type: number}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "502": {$ref: "#/components/responses/AgentError"}
        "504": {$ref: "#/components/responses/AgentTimeout"}
  /api/v1/guests/{guest}/fsfreeze/thaw:
    parameters:
      - $ref: "#/components/parameters/Guest"
    post:
      tags: [conveniences]
      operationId: fsfreezeThaw
      summary: Thaw the guest's filesystems (and cancel the automatic thaw).
      responses:
        "200":
          description: Thawed.
          content:
            application/json:
              schema:
                type: object
                required: [thawed]
                properties:
                  thawed: {type: integer}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "502": {$ref: "#/components/responses/AgentError"}
        "504": {$ref: "#/components/responses/AgentTimeout"}
  /api/v1/guests/{guest}/set-time:
    parameters:
      - $ref: "#/components/parameters/Guest"
    post:
      tags: [conveniences]
      operationId: setTimeFromHost
      summary: Set the guest clock from this host's clock.
      description: Needs guest-set-time.
      responses:
        "200":
          description: Set.
          content:
            application/json:
              schema:
                type: object
                required: [time_ns]
                properties:
                  time_ns: {type: integer, description: Nanoseconds since the epoch that were sent.}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "502": {$ref: "#/components/responses/AgentError"}
        "504": {$ref: "#/components/responses/AgentTimeout"}
  /api/v1/openapi.yaml:
    get:
      tags: [guests]
      operationId: openapi
      summary: This document.
      responses:
        "200":
          description: The OpenAPI document.
          content:
            application/yaml:
              schema: {type: string}
        "401": {$ref: "#/components/responses/Unauthorized"}
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: A token from control.tokens_file; its name is the principal.
    basic:
      type: http
      scheme: basic
      description: A user of basic_auth_users in the web config (bcrypt); the user is the principal.
  parameters:
    Guest:
      name: guest
      in: path
      required: true
      description: The guest's name, as on /metrics.
      schema: {type: string}
  schemas:
    Guest:
      type: object
      required: [name, address, source, state, enabled_commands]
      properties:
        name: {type: string}
        address: {type: string}
        source: {type: string}
        state: {type: string, enum: [unknown, up, down]}
        agent_version: {type: string}
        enabled_commands: {type: array, items: {type: string}}
        last_error: {type: string}
        error_kind: {type: string}
        last_poll_time: {type: number, description: Unix time of the last finished poll.}
        auto_thaw_at: {type: string, format: date-time}
    ExecResult:
      type: object
      required: [pid, exited, stdout_truncated, stderr_truncated]
      properties:
        pid: {type: integer}
        exited: {type: boolean}
        exit_code: {type: integer}
        signal: {type: integer}
        stdout: {type: string}
        stderr: {type: string}
        stdout_base64: {type: string}
        stderr_base64: {type: string}
        stdout_truncated: {type: boolean}
        stderr_truncated: {type: boolean}
    Error:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [status, message]
          properties:
            status: {type: integer}
            message: {type: string}
            kind:
              type: string
              description: Our classification, e.g. unknown_guest, not_allowed, bad_arguments, timeout, agentError, disabled.
            class: {type: string, description: "The agent's error class, e.g. GenericError."}
            pid: {type: integer, description: For an exec still running when the wait ended.}
  responses:
    BadRequest:
      description: Malformed body, arguments or command name.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Unauthorized:
      description: Credentials missing or wrong.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Forbidden:
      description: The command is not in the caller's allowlist.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    NotFound:
      description: Unknown guest.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    TooLarge:
      description: Body or file larger than the configured limit.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    AgentError:
      description: The agent answered with an error (its class and text), or the way to it failed.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    AgentTimeout:
      description: The agent did not answer in time.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}

"""#
}
