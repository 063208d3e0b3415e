import Foundation
import QGATestSupport

/// The test VM of Tests/VM (kernel + initramfs with qemu-ga, booted under TCG) as a libvirt
/// domain with the guest agent channel libvirtd owns.
struct TestDomain {
    var name: String
    /// Kernel command line settings of the guest's init, e.g. `qga_delay=8`.
    var append: String = ""
    /// false: a domain without the org.qemu.guest_agent.0 channel (and without a disk).
    var agentChannel = true

    /// Builds the VM's kernel and initramfs (cached) and returns their directory.
    static func buildArtifacts() async throws -> URL {
        let script = PrivateLibvirtd.repository.appendingPathComponent("Tests/VM/build-vm").path
        let result = try await Command.run(script, [])
        guard result.status == 0 else { throw LibvirtTestError("Tests/VM/build-vm failed: \(result.stderr)") }
        return PrivateLibvirtd.repository.appendingPathComponent(".test-artifacts/vm")
    }

    /// Writes the domain XML (and a fresh data disk) into `directory` and returns the XML's path.
    func write(into directory: String, artifacts: URL) throws -> String {
        let files = FileManager.default
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let disk = "\(directory)/\(name)-data.img"
        if agentChannel {
            if files.fileExists(atPath: disk) { try files.removeItem(atPath: disk) }
            try files.copyItem(atPath: artifacts.appendingPathComponent("data.img").path, toPath: disk)
        }
        // The uncompressed kernel boots through PVH, 1.5 s faster under TCG (see Tests/VM/README.md).
        let pvh = artifacts.appendingPathComponent("vmlinux").path
        let kernel = files.fileExists(atPath: pvh) ? pvh : artifacts.appendingPathComponent("vmlinuz").path
        let devices = agentChannel ? """
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw'/>
                  <source file='\(disk)'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
            """ : ""
        let xml = """
            <domain type='qemu'>
              <name>\(name)</name>
              <memory unit='MiB'>256</memory>
              <vcpu>2</vcpu>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
                <kernel>\(kernel)</kernel>
                <initrd>\(artifacts.appendingPathComponent("initrd.img").path)</initrd>
                <cmdline>console=ttyS0 quiet panic=-1 \(append)</cmdline>
              </os>
              <features><acpi/></features>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>destroy</on_reboot>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
            \(devices)
                <interface type='user'><model type='virtio'/></interface>
                <serial type='file'><source path='\(directory)/\(name)-console.log'/><target port='0'/></serial>
                <memballoon model='none'/>
              </devices>
            </domain>
            """
        let path = "\(directory)/\(name).xml"
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
