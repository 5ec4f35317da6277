# Saves a document with a password through the UNO API (used by make_docs.sh):
# /usr/bin/python3 encrypt_doc.py SOURCE DEST PASSWORD
import sys, uno, subprocess, time, os
from com.sun.star.beans import PropertyValue
def pv(n, v):
    p = PropertyValue(); p.Name = n; p.Value = v; return p
src, dst, pw = sys.argv[1:4]
proc = subprocess.Popen(["soffice", "-env:UserInstallation=file:///tmp/lo-doc-uno", "--headless", "--invisible",
    "--accept=socket,host=127.0.0.1,port=2309;urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=2309;urp;StarOffice.ComponentContext"); break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, (pv("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (pv("FilterName", "MS Word 97"), pv("Password", pw)))
    doc.close(True)
finally:
    try: desktop.terminate()
    except Exception: pass
    proc.wait(timeout=30)
