#!/usr/bin/env python3
"""A TLS listener on 127.0.0.1 with the self-signed certificate beside this file, for tests that
an https remote's certificate is still verified.

Usage: tls-server.py PORT_FILE
"""
import http.server
import os
import ssl
import sys

here = os.path.dirname(os.path.abspath(__file__))
server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.path.join(here, "tls-cert.pem"), os.path.join(here, "tls-key.pem"))
server.socket = context.wrap_socket(server.socket, server_side=True)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
